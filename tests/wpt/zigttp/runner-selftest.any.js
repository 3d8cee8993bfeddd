// zigttp's own check of the WPT runner (not a WPT file): one passing, one failing and one
// asynchronous subtest, so the runner's pass/fail/baseline logic has a fixed target.
test(() => { assert_equals(1 + 1, 2); }, "a passing subtest");
test(() => { assert_equals(1 + 1, 3, "deliberately wrong"); }, "a failing subtest (baselined)");
promise_test(() => Promise.resolve(42).then((v) => assert_equals(v, 42)), "an asynchronous subtest");
