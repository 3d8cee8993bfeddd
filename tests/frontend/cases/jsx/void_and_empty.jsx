function render() {
  return renderToString(
    <div>
      <br/><hr /><img src="a.png" alt=""/><meta charset="UTF-8" />
      <div/><span></span><br>ignored</br>
    </div>
  );
}
