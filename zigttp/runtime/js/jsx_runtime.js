// zigttp JSX runtime: h(), Fragment, renderToString() (spec §3) and compiled templates ($j).
//
// A plain script that defines four globals. The front end compiles HTML elements to
// templates, `$j(holes...)`[plan]`` (zigttp/frontend/jsx_template.py): the static markup is
// in the plan, each hole is rendered here and the result is an Html value, a branded string
// that is never escaped again. Components and elements with run-time props stay
// h(tag, props, ...children) vnodes, rendered when a template, renderToString or a Response
// meets them. Only values made here (Html and vnodes, recognised by a brand, a symbol of
// this file) render as markup: an object from data, even one shaped like {tag, props,
// children}, is text.
// Rules: text and attribute values escape & < > " ' ; run-time attribute names that are not
// one HTML name are dropped; null/undefined/true/false render nothing; arrays flatten;
// numbers render as String(n); className -> class; `true` attributes render bare,
// false/null are omitted; void elements self-close (" />"); dangerouslySetInnerHTML={{__html}}
// is the only unescaped path (script/style children are escaped like any other text).
//
// Every builtin used is captured here, at load time, so handler code that later replaces
// Array.isArray, String, Object.keys, JSON.parse, Map ... cannot change how HTML is escaped.
(function (global) {
  "use strict";
  const isArray = Array.isArray;
  const toStr = String;
  const keys = Object.keys;
  const freeze = Object.freeze;
  const defineProperty = Object.defineProperty;
  const apply = Reflect.apply;
  const jsonParse = JSON.parse;
  const FunctionCtor = Function;
  const toLower = String.prototype.toLowerCase;
  const uncurry = (fn) => Function.prototype.call.bind(fn);
  const mapSet = uncurry(Map.prototype.set);
  const arrayJoin = Array.prototype.join;
  const VOID = freeze({
    area: 1, base: 1, br: 1, col: 1, embed: 1, hr: 1, img: 1, input: 1, link: 1,
    meta: 1, param: 1, source: 1, track: 1, wbr: 1,
  });
  // Native slice and a pre-check regex, captured now; the regex carries its own `exec` so a
  // replaced RegExp.prototype.exec cannot change what needs escaping.
  const nativeSlice = apply.bind(null, String.prototype.slice);
  const NEEDS_ESCAPE = /[&<>"']/;
  defineProperty(NEEDS_ESCAPE, "exec", { value: RegExp.prototype.exec });
  const needsEscape = RegExp.prototype.test.bind(NEEDS_ESCAPE); // bound: no argument array
  // The C fast path (hooks.c escapeHtml(value, child): the text of a string or number, or
  // undefined), handed over by the prelude in return for the renderer (elementBody, below);
  // without the prelude (a bare test context) holeText and the JS loop do the same.
  const useJsx = global.__zigttp_use_jsx;
  let nativeText;
  // A template's parts joined by one native call, String.prototype.concat's (its fast path
  // copies each part once; `+` copied the growing string per part): hooks.c concatStrings,
  // or the uncurried builtin without the prelude.
  let concat = uncurry(String.prototype.concat);
  // A site's function in C (jsx.c jsxSite: the holes' text, the join and the HTML value in
  // one native call, render()/attribute() for the rest), or compile()'s JS without it.
  let nativeSite, nativeList, nativeElement;
  if (typeof useJsx === "function") {
    delete global.__zigttp_use_jsx;
    const native = useJsx(elementBody);
    if (isArray(native)) {
      nativeText = native[0];
      concat = native[1];
      nativeSite = native[2];
      nativeList = native[3];
      nativeElement = native[4];
    }
  }
  const ESCAPES = freeze({ __proto__: null, "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" });
  const SKIPPED = freeze({ children: 1, key: 1, ref: 1, dangerouslySetInnerHTML: 1, __self: 1, __source: 1 });
  // An attribute name from run-time props (a spread of data) that HTML would not read as one
  // name (space, quote, `>`, `/`, `=`, controls) is dropped, as React does: it could close the
  // tag. Names written in JSX are checked by the grammar.
  const BAD_NAME = /[\s"'>\/=\x00-\x1f\x7f-\x9f]/;
  defineProperty(BAD_NAME, "exec", { value: RegExp.prototype.exec });
  const badName = RegExp.prototype.test.bind(BAD_NAME);

  // Markup made here: rendered HTML, `{[MARK]: text}`, or an h() element, `{[MARK]: null,
  // tag, props, children}` (public tag/props/children as before), or the same made by $j.e
  // with its tag as the mark (see elementOf). The brand is a symbol no
  // other code is given: data cannot carry one (JSON, form fields, headers and
  // structuredClone make no symbol keys), so no string from data becomes markup. (Handler
  // code that digs the symbol out, with Object.getOwnPropertySymbols or a Proxy's trap, can
  // make markup, as it can with dangerouslySetInnerHTML.) `node[MARK]`, the one check the
  // renderer makes per object and no call, tells them apart: the HTML (a string), null or a
  // function for an element, undefined for anything else. It replaced a class with a private field: making
  // one was ~2.5x an object literal in quickjs, and each check a call.
  const MARK = Symbol("zigttp.html");
  // An array's items joined: jsx.c jsxList (the same reads and calls as listJs, in C), or
  // listJs without the prelude.
  const list = nativeList === undefined ? listJs : nativeList(render, vnode, listJs, Fragment, MARK);
  // What C makes its HTML values and `$j.e` elements like (engine patch 11: the same shape,
  // values set in place): never changed, so that shape stays the literal's.
  const HTML_MODEL = { [MARK]: "" };
  const ELEMENT_MODEL = { [MARK]: null, tag: null, props: null, children: null };

  function Fragment(props) {
    return props == null ? undefined : props.children;
  }

  // Index access and `+` on primitives cannot be intercepted by user code; no methods used.
  // The C escape answers for ASCII strings (the same string when nothing needs escaping);
  // undefined sends a non-ASCII string that needs escaping to the loop below.
  function escape(value) {
    const s = typeof value === "string" ? value : toStr(value);
    if (nativeText !== undefined) {
      const escaped = nativeText(s, false);
      if (escaped !== undefined) return escaped;
    } else if (!needsEscape(s)) {
      return s;
    }
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

  // What hooks.c escapeHtml answers, in JS: a string's or number's text; "" for what renders
  // nothing as a child; undefined for the rest (render/attribute decide).
  function holeText(value, child) {
    const type = typeof value;
    if (type === "string") return escape(value);
    if (type === "number") return toStr(value);
    return child && (value === null || value === undefined || value === true || value === false) ? "" : undefined;
  }

  function slice(s, from, to) {
    return nativeSlice(s, [from, to]);
  }

  // The rest array is the children array unless a null/undefined child has to go.
  function h(tag, props, ...children) {
    for (let i = 0; i < children.length; i++) {
      if (children[i] === null || children[i] === undefined) {
        children = present(children);
        break;
      }
    }
    return { [MARK]: null, tag, props: props == null ? {} : props, children };
  }

  // `$j.e(Component, props)`: an element of a component that only reads its props, with no
  // children and props the compiler wrote (zigttp/frontend/jsx_components.py). The same
  // {tag, props, children} as h(Component, props); marked with its tag, so that vnode() hands
  // it its props as they are, no copy and no `children`, for as long as its tag is unchanged.
  function elementOf(tag, props) {
    return { [MARK]: tag, tag, props: props == null ? {} : props, children: [] };
  }

  function present(values) {
    const out = [];
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value !== null && value !== undefined) out[out.length] = value;
    }
    return out;
  }

  // The common kinds first (text, HTML values, arrays, numbers): every hole of every template
  // and every child comes through here.
  function render(node) {
    const type = typeof node;
    if (type === "string") return escape(node);
    if (type === "object") {
      if (node === null) return "";
      const html = node[MARK];
      if (html !== undefined) return typeof html === "string" ? html : vnode(node, html, node.tag);
      if (isArray(node)) return list(node);
      return escape(toStr(node));
    }
    if (type === "number" || type === "bigint") return toStr(node); // digits, "-", ".", "e+": never escaped
    if (type === "undefined" || type === "boolean" || type === "function" || type === "symbol") return "";
    return escape(toStr(node));
  }

  // An array's items, elements and HTML values read here (a list of rows: one call less each).
  function listJs(items) {
    const parts = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (typeof item === "object" && item !== null) {
        const html = item[MARK];
        if (html !== undefined) {
          parts[i] = typeof html === "string" ? html : vnode(item, html, item.tag);
          continue;
        }
      }
      parts[i] = render(item);
    }
    return apply(arrayJoin, parts, [""]);
  }

  // A component is called with a copy of the props with `children` (object spreads:
  // engine-internal, no user hooks, and a literal's keys are defined, so an Object.prototype
  // setter never runs; neither can the assignment, made only when no `children` exists
  // anywhere on the copy's prototype chain). All in one function: a call costs quickjs more
  // than the checks, and every component element of a page comes through here.
  // (`tag`: node.tag, read by the caller right after the mark.)
  function vnode(node, mark, tag) {
    if (tag === null || tag === undefined || tag === Fragment) return render(node.children);
    if (typeof tag !== "function") return htmlElement(toStr(tag), node.props, node.children);
    let props;
    if (mark === tag) { // $j.e: a component that only reads its props gets them as they are
      props = node.props;
    } else {
      props = { ...node.props };
      if (!("children" in props)) props.children = node.children;
      else if (node.children.length > 0) props = { ...props, children: node.children };
    }
    const out = node.tag(props); // (a method call, as before: `this` is the element)
    if (typeof out === "object" && out !== null) { // a component's usual answer: its template
      const html = out[MARK];
      if (typeof html === "string") return html;
    }
    return render(out);
  }

  function htmlElement(tag, props, children) {
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
      if (SKIPPED[name] === 1 || name === "" || badName(name)) continue;
      const attr = name === "className" ? "class" : name === "htmlFor" ? "for" : name;
      out += attribute(" " + attr, props[name]);
    }
    return out;
  }

  // One attribute, `spaced` being " name" (already renamed: className -> class).
  function attribute(spaced, value) {
    if (typeof value === "string") return spaced + "=\"" + escape(value) + "\"";
    if (value === null || value === undefined || value === false) return "";
    const type = typeof value;
    if (type === "function" || type === "symbol") return "";
    if (value === true) return spaced;
    if (type === "object" && spaced === " style") return " style=\"" + escape(style(value)) + "\"";
    return spaced + "=\"" + escape(toStr(value)) + "\"";
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

  // ---- compiled templates ------------------------------------------------------------------
  // `$j(a, b)`["<p>",0,"</p>",...]``: $j keeps the holes and returns a tag function, which the
  // engine calls at once with the literal's strings object (one per call site, so the plan is
  // parsed once per site). Nothing runs in between; the tag takes the holes before rendering
  // them (a component inside may run another template). Each site compiles to its own tag
  // function, and $j returns the one of the site that ran last: a loop renders one site over
  // and over, so most calls go straight to their site's code; a tag given another site's
  // strings hands them to `fill`, which finds (or compiles) that site.
  const plans = new Map();
  defineProperty(plans, "get", { value: Map.prototype.get }); // own: one native call, untouchable
  const box = { holes: null };
  let lastTag = fill;
  function template() {
    box.holes = arguments;
    return lastTag;
  }
  function fill(strings) {
    let tag = plans.get(strings);
    if (tag === undefined) {
      tag = tagged(strings);
      mapSet(plans, strings, tag);
    }
    lastTag = tag;
    return tag(strings);
  }
  // plan: [static, kind, static, kind, ..., static]; kind 0 = child, 1 = dropped,
  // " name" = attribute. Compiled once per site into one native concat of the parts
  // (straight-line code: ~2x faster than walking the plan per call in quickjs); the generated
  // source holds only indices, every string stays in the plan's arrays. A hole's text comes
  // from T (the C fast path: strings and numbers, and the children that render nothing);
  // what T leaves (undefined) goes to render() or attribute(). An attribute hole is three
  // parts, ' name="', its text and '"' + the static after it, or attribute()'s answer, "",
  // and the static. The branded value is made in place. `hole(k)` is the source of hole k's
  // value (kind 1, dropped: already evaluated by the caller); `head` opens the site's function.
  function compile(plan, hole, head, strings) {
    const open = []; // open[i]: ' name="' for the attribute at plan[i]
    const closed = []; // closed[i]: '"' + the static plan[i]
    let parts = "p[0]";
    for (let i = 1, k = 0; i < plan.length; i += 2, k++) {
      const kind = plan[i];
      const next = "p[" + (i + 1) + "]";
      if (kind === 0) {
        parts += ", (y = T(" + hole(k) + ", true)) !== undefined ? y : r(" + hole(k) + ")";
      } else if (kind !== 1) {
        open[i] = kind + "=\"";
        closed[i + 1] = "\"" + plan[i + 1];
        parts += ", (t = (y = T(" + hole(k) + ", false)) !== undefined) ? o[" + i + "] : a(p[" + i + "], " + hole(k) + ")" +
          ", t ? y : \"\", t ? q[" + (i + 1) + "] : " + next;
        continue;
      }
      if (plan[i + 1] !== "") parts += ", " + next;
    }
    const result = plan.length === 1 ? "fixed" : "{ [M]: c(" + parts + ") }";
    const source = "const fixed = z({ [M]: p[0] }); return " + head + "let y, t; return " + result + "; };";
    return new FunctionCtor("S", "f", "b", "p", "o", "q", "c", "r", "a", "T", "M", "z", source)(
      strings, fill, box, plan, open, closed, concat, render, attribute,
      nativeText === undefined ? holeText : nativeText, MARK, freeze);
  }

  // A tagged site, `$j(holes...)`plan``: the holes wait in the box for the tag.
  function tagged(strings) {
    const head = "function (s) { if (s !== S) return f(s); const v = b.holes; b.holes = null; ";
    return compile(jsonParse(strings[0]), (k) => "v[" + k + "]", head, strings); // (v[k] read twice: plain reads)
  }

  // A site function, `$j0(holes...)` (the front end declares `function $j0(x0, ...) { return
  // ($j0 = $j.site(plan))(x0, ...); }` once per site): the holes are its parameters, so a
  // template costs one call and no arguments object. The plan is copied to strings first: the
  // generated code holds only indices into it and parameter names. With the prelude the site
  // is C instead (jsx.c jsxSite: the same parts, escapes and fallbacks as compile()'s code).
  function site(plan) {
    if (!isArray(plan) || plan.length % 2 !== 1) throw new TypeError("$j.site: not a template plan");
    const copy = [];
    const params = [];
    for (let i = 0; i < plan.length; i++) {
      copy[i] = i % 2 === 1 && (plan[i] === 0 || plan[i] === 1) ? plan[i] : toStr(plan[i]);
      if (i % 2 === 1) params[params.length] = "x" + (i - 1) / 2;
    }
    const native = nativeSite === undefined || copy.length === 1 ? undefined : nativeSite(copy, render, attribute, MARK, list, HTML_MODEL);
    if (native !== undefined) return native; // (undefined: more holes than C takes, 62)
    const head = "function (" + apply(arrayJoin, params, [", "]) + ") { ";
    return compile(copy, (k) => "x" + k, head, null);
  }
  defineProperty(template, "site", { value: site });
  defineProperty(template, "e", { value: nativeElement === undefined ? elementOf : nativeElement(ELEMENT_MODEL) });

  function renderToString(node) {
    return render(node);
  }

  // A JSX element as a Response body (prelude.js): its HTML, or undefined for anything else.
  function elementBody(value) {
    if (value === null || typeof value !== "object") return undefined;
    const html = value[MARK];
    if (html === undefined || typeof html === "string") return html; // undefined: not markup
    return render(value);
  }

  global.h = h;
  global.Fragment = Fragment;
  global.renderToString = renderToString;
  defineProperty(global, "$j", { value: template, enumerable: false });
})(globalThis);
