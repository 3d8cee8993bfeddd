function render() {
  const before = renderToString(<p title={'"'}>{"<x>"}{[1, 2]}</p>);
  String.prototype.replace = () => "HACKED";
  String.prototype.replaceAll = () => "HACKED";
  Array.prototype.map = () => [];
  Array.prototype.join = () => "HACKED";
  Array.isArray = () => false;
  Object.keys = () => [];
  String = (v) => "HACKED";
  const after = renderToString(<p title={'"'}>{"<x>"}{[1, 2]}</p>);
  return before + "|" + after;
}
