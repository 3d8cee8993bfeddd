// META: title=runner self-test: a file that asks for WPT's long timeout
// META: timeout=long
test(() => assert_true(true), "a file with a long timeout runs");
