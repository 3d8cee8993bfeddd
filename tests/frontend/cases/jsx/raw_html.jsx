function render() {
  return renderToString(
    <div>
      <script>{"if (a < b && c) {}"}</script>
      <style>{"a > b { color: red }"}</style>
      <script dangerouslySetInnerHTML={{ __html: "if (a < b) {}" }} />
      <div dangerouslySetInnerHTML={{ __html: "<b>bold</b>" }}>ignored</div>
    </div>
  );
}
