SRCS += digest/cmd.c
SRCS += digest/run.c
SRCS += digest/send.c
SRCS += digest/preview.c
SRCS += digest/select.c
SRCS += digest/audience.c
TESTS += tests/test_select
TESTS += tests/test_audience
SRCS += digest/mime.c
TESTS += tests/test_mime
TESTS += tests/test_mime_email
SRCS += digest/schedule.c
TESTS += tests/test_schedule
SRCS += digest/compose.c
TESTS += tests/test_compose
SRCS += digest/results.c
TESTS += tests/test_results
SRCS += digest/mailer.c
SRCS += digest/smtp.c
SRCS += digest/wire.c
SRCS += digest/outbox.c
TESTS += tests/test_mailer
TESTS += tests/test_wire
TESTS += tests/test_send
TEST_LDFLAGS_test_send = -Wl,--wrap=smtp_transport_open \
	-Wl,--wrap=smtp_transport_send -Wl,--wrap=smtp_transport_close
SRCS += digest/tips.c
TESTS += tests/test_tips
