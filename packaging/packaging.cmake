# What `cmake --install` installs and what `cpack -G DEB` packages (docs/install.md): the
# binary, its man page and bash completion — both written at build time from the binary's
# own command-line definition, so they cannot fall behind it — and the docs.
include(GNUInstallDirs)

# sqlmeasure(1): help2man over the real --help and --version, with every command's help
# (packaging/man-page). Rewritten whenever the binary is relinked.
find_program(SQLMEASURE_HELP2MAN help2man)
if(NOT SQLMEASURE_HELP2MAN)
  message(FATAL_ERROR "help2man not found (it writes the man page): scripts/install-deps")
endif()
set(SQLMEASURE_MAN_PAGE ${CMAKE_BINARY_DIR}/sqlmeasure.1)
add_custom_command(OUTPUT ${SQLMEASURE_MAN_PAGE} ${SQLMEASURE_MAN_PAGE}.gz
  COMMAND ${CMAKE_SOURCE_DIR}/packaging/man-page $<TARGET_FILE:sqlmeasure> ${SQLMEASURE_MAN_PAGE}
    ${CMAKE_INSTALL_FULL_DOCDIR}
  DEPENDS sqlmeasure ${CMAKE_SOURCE_DIR}/packaging/man-page
    ${CMAKE_SOURCE_DIR}/packaging/man-page.h2m
  COMMENT "Writing the man page sqlmeasure.1 from sqlmeasure --help" VERBATIM)
add_custom_target(sqlmeasure_man ALL DEPENDS ${SQLMEASURE_MAN_PAGE}.gz)

# Bash completion of commands and flags: the hidden `sqlmeasure __completion bash`.
set(SQLMEASURE_COMPLETION ${CMAKE_BINARY_DIR}/sqlmeasure.bash-completion)
add_custom_command(OUTPUT ${SQLMEASURE_COMPLETION}
  COMMAND sh -c "\"$0\" __completion bash > \"$1\"" $<TARGET_FILE:sqlmeasure>
    ${SQLMEASURE_COMPLETION}
  DEPENDS sqlmeasure
  COMMENT "Writing the bash completion from sqlmeasure's command line" VERBATIM)
add_custom_target(sqlmeasure_completion ALL DEPENDS ${SQLMEASURE_COMPLETION})

# Tests (label package): the man page and completion are the binary's own help and flags;
# `cmake --install --prefix` works; the git commit of --version. The first brings the man
# page and completion up to date in whatever tree ctest runs (build-asan/ too).
add_test(NAME package_files COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR}
  --target sqlmeasure_man sqlmeasure_completion)
add_test(NAME man_page COMMAND ${CMAKE_SOURCE_DIR}/tests/package/man-page-test
  $<TARGET_FILE:sqlmeasure> ${SQLMEASURE_MAN_PAGE}.gz)
add_test(NAME bash_completion COMMAND ${CMAKE_SOURCE_DIR}/tests/package/completion-test
  $<TARGET_FILE:sqlmeasure> ${SQLMEASURE_COMPLETION})
add_test(NAME install_prefix COMMAND ${CMAKE_SOURCE_DIR}/tests/package/install-test
  ${CMAKE_BINARY_DIR})
add_test(NAME git_commit COMMAND ${CMAKE_SOURCE_DIR}/tests/package/git-commit-test
  ${CMAKE_SOURCE_DIR})
set_tests_properties(package_files man_page bash_completion install_prefix git_commit
  PROPERTIES LABELS package)
set_tests_properties(package_files PROPERTIES FIXTURES_SETUP package_files)
set_tests_properties(man_page bash_completion install_prefix
  PROPERTIES FIXTURES_REQUIRED package_files)

install(TARGETS sqlmeasure RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${SQLMEASURE_MAN_PAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${SQLMEASURE_COMPLETION} RENAME sqlmeasure
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
# docs/ as docs/, so that README's links still lead somewhere (its pictures too).
file(GLOB SQLMEASURE_DOCS CONFIGURE_DEPENDS docs/*.md docs/*.png docs/*.svg)
install(FILES ${SQLMEASURE_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)

# The .deb (scripts/package). Its Depends come from dpkg-shlibdeps: the package of every
# shared library the binary links (libmariadb3, libfmt9, zlib1g, libc6, libstdc++6, ...).
set(SQLMEASURE_MAINTAINER "The sqlmeasure authors <sqlmeasure@localhost>"
  CACHE STRING "Maintainer field of the .deb")
# cpack (and `make install`) would first build `all`, tests included: scripts/package builds
# only what the package holds.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_PACKAGE_NAME sqlmeasure)
set(CPACK_PACKAGE_VENDOR "The sqlmeasure authors")
set(CPACK_PACKAGE_CONTACT "${SQLMEASURE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "which screens of your application get slower after an index change")
set(CPACK_PACKAGE_DESCRIPTION "sqlmeasure replays the SQL each screen of an application \
issues against a MySQL, Aurora MySQL or MariaDB endpoint, before and after a migration, and \
prints per-screen latency deltas with significance tests, plan changes and rows-examined \
changes. It also audits indexes: cardinality, duplicates, unused indexes, stale hints.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS bash-completion)
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
# A source tarball (cpack --config CPackSourceConfig.cmake) carries no build trees or git.
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/\\\\.sandbox/" "/sqlmeasure-results/")
include(CPack)
