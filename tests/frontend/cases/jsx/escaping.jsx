function render() {
  const evil = `<script>alert("x" & 'y')</script>`;
  return renderToString(<div title={evil} data-q='say "hi"'>{evil}</div>);
}
