function render() {
  return renderToString(<p title="a &amp; b &quot;c&quot;">x&nbsp;y &lt;tag&gt; &copy; &#169; &#xA9; &unknown; &amp;amp;</p>);
}
