#include "log_time.h"

namespace sqlmeasure {
namespace {

bool digits(std::string_view text, std::size_t at, std::size_t count, int& value) {
  if (at + count > text.size()) return false;
  value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

bool valid(int month, int day, int hour, int minute, int second) {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23 &&
         minute >= 0 && minute <= 59 && second >= 0 && second <= 60;
}

}  // namespace

std::int64_t epoch_seconds(int year, unsigned month, unsigned day, int hour, int minute,
                           int second) {
  // Howard Hinnant's days_from_civil.
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = era * 146097 + static_cast<std::int64_t>(doe) - 719468;
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

std::optional<std::int64_t> parse_mariadb_time(std::string_view text) {
  // YYMMDD H:MM:SS or YYMMDD HH:MM:SS
  int yy = 0, mm = 0, dd = 0, hour = 0, minute = 0, second = 0;
  if (!digits(text, 0, 2, yy) || !digits(text, 2, 2, mm) || !digits(text, 4, 2, dd)) {
    return std::nullopt;
  }
  if (text.size() < 14 || text[6] != ' ') return std::nullopt;
  std::size_t at = 7;
  if (text[at] == ' ') {
    ++at;
    if (!digits(text, at, 1, hour)) return std::nullopt;
    at += 1;
  } else if (digits(text, at, 2, hour)) {
    at += 2;
  } else if (digits(text, at, 1, hour) && at + 1 < text.size() && text[at + 1] == ':') {
    at += 1;
  } else {
    return std::nullopt;
  }
  if (at + 6 > text.size() || text[at] != ':' || !digits(text, at + 1, 2, minute) ||
      text[at + 3] != ':' || !digits(text, at + 4, 2, second)) {
    return std::nullopt;
  }
  if (!valid(mm, dd, hour, minute, second)) return std::nullopt;
  return epoch_seconds(2000 + yy, static_cast<unsigned>(mm), static_cast<unsigned>(dd), hour,
                       minute, second) *
         1'000'000;
}

std::optional<std::int64_t> parse_iso_time(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != ' ') || !digits(text, 11, 2, hour) || text[13] != ':' ||
      !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second) ||
      !valid(month, day, hour, minute, second)) {
    return std::nullopt;
  }
  std::int64_t micros = 0;
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    int places = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (places < 6) {
        micros = micros * 10 + (text[at] - '0');
        ++places;
      }
      ++at;
    }
    for (; places < 6; ++places) micros *= 10;
  }
  std::int64_t offset = 0;
  if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    int oh = 0, om = 0;
    if (!digits(text, at + 1, 2, oh) || at + 3 >= text.size() || text[at + 3] != ':' ||
        !digits(text, at + 4, 2, om)) {
      return std::nullopt;
    }
    offset = (text[at] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    at += 6;
  } else if (at < text.size() && text[at] == 'Z') {
    ++at;
  }
  if (at != text.size()) return std::nullopt;
  return (epoch_seconds(year, static_cast<unsigned>(month), static_cast<unsigned>(day), hour,
                        minute, second) -
          offset) *
             1'000'000 +
         micros;
}

}  // namespace sqlmeasure
