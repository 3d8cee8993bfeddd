function render() {
  const m = "GET";
  return renderToString(
    <main>
      <p>Method: {m}</p>
      <p>
        Hello,
        world   and   more
      </p>
      <p>  leading and trailing  </p>
      <p>{m} {m}</p>
      <p>
        {m}
      </p>
      <p>a{" "}b</p>
      <p>tab	inside</p>
    </main>
  );
}
