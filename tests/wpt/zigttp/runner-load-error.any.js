// zigttp's own check of the WPT runner: a file that throws while loading.
test(() => {}, "registered before the throw");
throw new Error("this file fails to load on purpose");
