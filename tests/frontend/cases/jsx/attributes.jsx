function render() {
  const extra = { id: "main", "data-n": 7, hidden: false };
  return renderToString(
    <form className="f" {...extra} hx-post="/x" xlink:href="#a" htmlFor="n">
      <input disabled type="checkbox" checked={true} value={0} readOnly={null} onClick={() => 1} />
      <label style={{ fontSize: 12, color: "red" }}>x</label>
    </form>
  );
}
