function Pair(props) {
  return <><dt>{props.k}</dt><dd>{props.v}</dd></>;
}
function render() {
  return renderToString(
    <dl>
      <>
        <Pair k="a" v="1" />
        <>
          <Pair k="b" v="2" />
        </>
      </>
      {h(Fragment, null, "x", h(null, null, "y"))}
    </dl>
  );
}
