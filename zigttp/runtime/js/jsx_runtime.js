// zigttp JSX runtime: h(), Fragment, renderToString() (spec §3).
//
// A plain script that defines three globals. Compiled JSX calls h(tag, props, ...children);
// renderToString turns the vnode tree into HTML. Rules: text and attribute values escape
// & < > " ' ; null/undefined/true/false render nothing; arrays flatten; numbers render as
// String(n); className -> class; `true` attributes render bare, false/null are omitted;
// void elements self-close (" />"); dangerouslySetInnerHTML={{__html}} is the only unescaped
// path (script/style children are escaped like any other text).
//
// Every builtin used is captured here, at load time, so handler code that later replaces
// Array.isArray, String, Object.keys ... cannot change how HTML is escaped.
(function (global) {
  "use strict";
  const isArray = Array.isArray;
  const toStr = String;
  const keys = Object.keys;
  const freeze = Object.freeze;
  const defineProperty = Object.defineProperty;
  const apply = Reflect.apply;
  const toLower = String.prototype.toLowerCase;
  const VOID = freeze({
    area: 1, base: 1, br: 1, col: 1, embed: 1, hr: 1, img: 1, input: 1, link: 1,
    meta: 1, param: 1, source: 1, track: 1, wbr: 1,
  });
  // Native slice and a pre-check regex, captured now; the regex carries its own `exec` so a
  // replaced RegExp.prototype.exec cannot change what needs escaping.
  const nativeSlice = apply.bind(null, String.prototype.slice);
  const nativeTest = apply.bind(null, RegExp.prototype.test);
  const NEEDS_ESCAPE = /[&<>"']/;
  defineProperty(NEEDS_ESCAPE, "exec", { value: RegExp.prototype.exec });
  const ESCAPES = freeze({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" });
  const SKIPPED = freeze({ children: 1, key: 1, ref: 1, dangerouslySetInnerHTML: 1, __self: 1, __source: 1 });

  function Fragment(props) {
    return props == null ? undefined : props.children;
  }

  // Index access and `+` on primitives cannot be intercepted by user code; no methods used.
  function escape(value) {
    const s = toStr(value);
    if (!nativeTest(NEEDS_ESCAPE, [s])) return s;
    let out = "";
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const replacement = ESCAPES[s[i]];
      if (replacement !== undefined) {
        if (i > start) out += slice(s, start, i);
        out += replacement;
        start = i + 1;
      }
    }
    return start === 0 ? s : out + slice(s, start, s.length);
  }

  function slice(s, from, to) {
    return nativeSlice(s, [from, to]);
  }

  function h(tag, props) {
    const children = [];
    for (let i = 2; i < arguments.length; i++) {
      const child = arguments[i];
      if (child !== null && child !== undefined) children[children.length] = child;
    }
    return { tag: tag, props: props == null ? {} : props, children: children };
  }

  function isFragment(tag) {
    return tag === null || tag === undefined || tag === Fragment;
  }

  function render(node) {
    if (node === null || node === undefined || node === true || node === false) return "";
    const type = typeof node;
    if (type === "string") return escape(node);
    if (type === "number" || type === "bigint") return escape(toStr(node));
    if (type === "function" || type === "symbol") return "";
    if (isArray(node)) {
      let out = "";
      for (let i = 0; i < node.length; i++) out += render(node[i]);
      return out;
    }
    if (type !== "object" || !("tag" in node)) return escape(toStr(node));
    if (isFragment(node.tag)) return render(node.children);
    if (typeof node.tag === "function") return render(node.tag(componentProps(node)));
    return element(toStr(node.tag), node.props, node.children);
  }

  function componentProps(node) {
    const props = {};
    const names = keys(node.props);
    for (let i = 0; i < names.length; i++) props[names[i]] = node.props[names[i]];
    if (node.children.length > 0 || !("children" in props)) {
      defineProperty(props, "children", { value: node.children, enumerable: true, writable: true, configurable: true });
    }
    return props;
  }

  function element(tag, props, children) {
    let out = "<" + tag + attributes(props);
    if (VOID[tag] === 1) return out + " />";
    out += ">";
    const inner = props.dangerouslySetInnerHTML;
    if (inner !== null && inner !== undefined && typeof inner === "object") {
      out += inner.__html === undefined || inner.__html === null ? "" : toStr(inner.__html);
    } else {
      out += render(children.length > 0 ? children : props.children);
    }
    return out + "</" + tag + ">";
  }

  function attributes(props) {
    let out = "";
    const names = keys(props);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const value = props[name];
      if (SKIPPED[name] === 1 || value === null || value === undefined || value === false) continue;
      const type = typeof value;
      if (type === "function" || type === "symbol") continue;
      const attr = name === "className" ? "class" : name === "htmlFor" ? "for" : name;
      if (value === true) out += " " + attr;
      else if (type === "object" && name === "style") out += " style=\"" + escape(style(value)) + "\"";
      else out += " " + attr + "=\"" + escape(toStr(value)) + "\"";
    }
    return out;
  }

  // {fontSize: 12, color: "red"} -> "font-size:12;color:red"
  function style(value) {
    let out = "";
    const names = keys(value);
    for (let i = 0; i < names.length; i++) {
      const v = value[names[i]];
      if (v === null || v === undefined || v === false) continue;
      let prop = "";
      const n = names[i];
      for (let j = 0; j < n.length; j++) {
        const c = n[j];
        prop += c >= "A" && c <= "Z" ? "-" + apply(toLower, c, []) : c;
      }
      out += (out ? ";" : "") + prop + ":" + toStr(v);
    }
    return out;
  }

  function renderToString(node) {
    return render(node);
  }

  global.h = h;
  global.Fragment = Fragment;
  global.renderToString = renderToString;
})(globalThis);
