function render() {
  const items = ["a", "b"];
  const none = null;
  return renderToString(
    <ul>
      {items.map((it, i) => <li key={i}>{it}</li>)}
      {[[1, 2], [3, [4]]]}
      {none}{undefined}{false}{true}{0}{1.5}{-0}{NaN}
      {items.length > 1 && <li>many</li>}
      {items.length > 5 ? <li>lots</li> : <li>few</li>}
      {/* a comment child */}
      {...items}
    </ul>
  );
}
