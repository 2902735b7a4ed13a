// The baseline sqlmeasure's overhead is judged against: the same libmysqlclient calls
// (real_query, store_result, fetch every row) in a bare loop, timed the same way.
// Usage: raw_loop SOCKET DATABASE ITERATIONS SQL
// Prints: median_ns=... p95_ns=... wall_ns=... n=...
#include <mysql.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: raw_loop SOCKET DATABASE ITERATIONS SQL\n");
    return 64;
  }
  MYSQL* mysql = mysql_init(nullptr);
  if (!mysql_real_connect(mysql, nullptr, "root", nullptr, argv[2], 0, argv[1], 0)) {
    std::fprintf(stderr, "raw_loop: %s\n", mysql_error(mysql));
    return 2;
  }
  long iterations = std::atol(argv[3]);
  const char* sql = argv[4];
  unsigned long length = static_cast<unsigned long>(std::char_traits<char>::length(sql));
  std::vector<long long> samples;
  samples.reserve(static_cast<size_t>(iterations));
  auto wall_start = std::chrono::steady_clock::now();
  for (long i = 0; i < iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (mysql_real_query(mysql, sql, length) != 0) {
      std::fprintf(stderr, "raw_loop: %s\n", mysql_error(mysql));
      return 2;
    }
    MYSQL_RES* result = mysql_store_result(mysql);
    if (result) {
      while (mysql_fetch_row(result)) {
      }
      mysql_free_result(result);
    }
    auto stop = std::chrono::steady_clock::now();
    samples.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count());
  }
  auto wall = std::chrono::steady_clock::now() - wall_start;
  std::sort(samples.begin(), samples.end());
  std::printf(
      "median_ns=%lld p95_ns=%lld wall_ns=%lld n=%ld\n", samples[samples.size() / 2],
      samples[samples.size() * 95 / 100],
      static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count()),
      iterations);
  mysql_close(mysql);
  return 0;
}
