function Card(props) {
  return <div class="card"><h2>{props.title}</h2><p>{props.children}</p></div>;
}
const UI = {
  Button: (props) => <button type={props.type || "button"}>{props.children}</button>,
};
function Layout({ title, children }) {
  return <html><head><title>{title}</title></head><body>{children}</body></html>;
}
function render() {
  return renderToString(
    <Layout title="T & T">
      <Card title="Hello">Welcome to JSX!</Card>
      <UI.Button type="submit">Go <b>now</b></UI.Button>
    </Layout>
  );
}
