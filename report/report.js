/* The page of `newsevents report`: reads the data blob written by
 * pipeline/report.cc and draws everything from it, with plain DOM and SVG.
 *
 * The blob: meta {title, source, corpus, generated, version, records, notes};
 * columns (names of the event row fields, in order); types [{name,
 * description, slot}] (slot: the type's rank in the taxonomy, which picks its
 * colour); langs [code]; files [{name, missing}]; orgs [[name, [aliases]]];
 * places [[canonical, kind, country|null, [names as written]]]; countries
 * {code: name}; events [[field...]], where type, lang, file and the members of
 * orgs and places are indices into those tables, duplicate_of is an event id,
 * and snippet is [before, title, body, after, cut] or null.
 *
 * Record text is data, never markup: every string reaches the page through
 * textContent or a text node.
 */
(function () {
  'use strict';

  // ------------------------------------------------------------------ data
  const blob = JSON.parse(document.getElementById('report-data').textContent);
  const meta = blob.meta;
  const COL = {};
  blob.columns.forEach(function (name, i) { COL[name] = i; });
  const types = blob.types;
  const langs = blob.langs;
  const files = blob.files;
  const orgs = blob.orgs;
  const places = blob.places;
  const countries = blob.countries;

  // Colours by taxonomy rank: a type keeps its colour across reports.
  const PALETTE = ['#3b6fd4', '#17a2b8', '#e8833a', '#8e5cc4', '#2e9e5b', '#d4a017', '#d9534f',
    '#5b7083', '#c2569b', '#7fb13d', '#f06c9b', '#1f8a8a', '#a0522d', '#6b8dd6', '#b8860b',
    '#4caf50', '#ff7043', '#9575cd', '#4db6ac', '#e57373'];
  const OTHER_COLOR = '#a3a9b6';
  const typeColor = types.map(function (t) {
    return t.name === 'other' ? OTHER_COLOR : PALETTE[t.slot % PALETTE.length];
  });
  const LANG_NAMES = { en: 'English', fr: 'French', es: 'Spanish', und: 'undetermined' };
  const KIND_NAMES = { city: 'city', district: 'district', region: 'region', country: 'country',
    world_region: 'world region' };

  const events = new Array(blob.events.length);
  const byId = new Map();
  for (let i = 0; i < blob.events.length; ++i) {
    const r = blob.events[i];
    const start = r[COL.start];
    events[i] = {
      i: i,
      id: r[COL.id],
      title: r[COL.title],
      type: r[COL.type],
      lang: r[COL.lang],
      start: start,
      end: r[COL.end],
      year: start ? +start.slice(0, 4) : null,
      file: r[COL.file],
      item: r[COL.item],
      span: r[COL.span],
      orgs: r[COL.orgs],
      places: r[COL.places],
      people: r[COL.people],
      dupOf: r[COL.duplicate_of],
      conf: r[COL.confidence],
      dates: r[COL.dates],
      online: r[COL.online],
      role: r[COL.role],
      participants: r[COL.participants],
      nationalities: r[COL.nationalities],
      organizers: r[COL.organizers],
      warnings: r[COL.warnings],
      snippet: r[COL.snippet],
      root: -1,          // index of the story this one retells
      retellings: null,  // indices of its retellings, on a story
      search: null,      // lower-case text for the text filter, made on first use
    };
    byId.set(events[i].id, i);
  }
  blob.events = null;  // the rows are in `events` now

  // ------------------------------------------------------------ duplicates
  // A retelling points at the id it repeats; chains are followed to the
  // story. A story from an earlier run (--state) is not in the records: its
  // retellings are grouped under its id.
  const groups = [];  // {root: index|-1, rootId, members: [index]}
  (function buildGroups() {
    const byRoot = new Map();
    for (const e of events) {
      if (!e.dupOf) continue;
      let id = e.dupOf;
      for (let hops = 0; hops < 64; ++hops) {
        const j = byId.get(id);
        if (j === undefined || !events[j].dupOf || events[j].dupOf === id) break;
        id = events[j].dupOf;
      }
      const j = byId.get(id);
      if (j !== undefined) e.root = j;
      let g = byRoot.get(id);
      if (!g) {
        g = { root: j === undefined ? -1 : j, rootId: id, members: [] };
        byRoot.set(id, g);
        groups.push(g);
      }
      g.members.push(e.i);
    }
    for (const g of groups) if (g.root >= 0) events[g.root].retellings = g.members;
    groups.sort(function (a, b) { return b.members.length - a.members.length || firstOf(a) - firstOf(b); });
    function firstOf(g) { return g.root >= 0 ? g.root : g.members[0]; }
  })();

  // ---------------------------------------------------------------- counts
  const typeCount = new Array(types.length).fill(0);
  const langCount = new Array(langs.length).fill(0);
  const fileCount = new Array(files.length).fill(0);
  const orgCount = new Array(orgs.length).fill(0);
  const placeCount = new Array(places.length).fill(0);
  const yearCount = new Map();
  const countryCount = new Map();
  const people = new Set();
  let undated = 0;
  let withSnippet = 0;
  for (const e of events) {
    typeCount[e.type]++;
    langCount[e.lang]++;
    fileCount[e.file]++;
    if (e.year === null) undated++; else yearCount.set(e.year, (yearCount.get(e.year) || 0) + 1);
    for (const o of new Set(e.orgs)) orgCount[o]++;
    const seenCountries = new Set();
    for (const p of new Set(e.places)) {
      placeCount[p]++;
      const cc = places[p][2];
      if (cc) seenCountries.add(cc);
    }
    for (const cc of seenCountries) countryCount.set(cc, (countryCount.get(cc) || 0) + 1);
    for (const name of e.people) people.add(name);
    if (e.snippet) withSnippet++;
  }
  const years = Array.from(yearCount.keys()).sort(function (a, b) { return a - b; });

  // --------------------------------------------------------------- helpers
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function fmtInt(n) { return Number(n).toLocaleString('en-US'); }
  function plural(n, word) { return fmtInt(n) + ' ' + word + (n === 1 ? '' : 's'); }
  function pct(n, d) { return d ? Math.round(100 * n / d) + '%' : '–'; }
  function fmtIso(s) {
    if (!s) return '';
    if (s.length === 4) return s;
    const m = MONTHS[+s.slice(5, 7) - 1] || s.slice(5, 7);
    if (s.length === 7) return m + ' ' + s.slice(0, 4);
    return +s.slice(8, 10) + ' ' + m + ' ' + s.slice(0, 4);
  }
  const typeNames = types.map(function (t) { return t.name.replace(/_/g, ' '); });
  function typeName(t) { return typeNames[t]; }
  function langName(l) { const c = langs[l]; return LANG_NAMES[c] ? LANG_NAMES[c] + ' (' + c + ')' : c; }
  function countryName(cc) { return countries[cc] || cc; }

  // h('div', {class: 'x', onclick: f}, 'text', child, [more children])
  function h(tag, attrs) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const k in attrs) {
        const v = attrs[k];
        if (v === null || v === undefined || v === false) continue;
        if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
        else if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k === 'style') el.style.cssText = v;
        else el.setAttribute(k, v === true ? '' : v);
      }
    }
    for (let i = 2; i < arguments.length; ++i) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { for (const c of child) append(el, c); return; }
    el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  const SVG_NS = 'http://www.w3.org/2000/svg';
  function s(tag, attrs) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const k in attrs || {}) el.setAttribute(k, attrs[k]);
    for (let i = 2; i < arguments.length; ++i) append(el, arguments[i]);
    return el;
  }
  function swatch(color) { return h('span', { class: 'swatch', style: 'background:' + color }); }
  function $(id) { return document.getElementById(id); }

  // One tooltip for the page, filled with DOM nodes.
  const tip = $('tooltip');
  function showTip(ev, content) {
    tip.replaceChildren(content);
    tip.hidden = false;
    const pad = 14;
    const w = tip.offsetWidth, ht = tip.offsetHeight;
    let x = ev.clientX + pad, y = ev.clientY + pad;
    if (x + w > window.innerWidth - 8) x = ev.clientX - w - pad;
    if (y + ht > window.innerHeight - 8) y = ev.clientY - ht - pad;
    tip.style.left = Math.max(4, x) + 'px';
    tip.style.top = Math.max(4, y) + 'px';
  }
  function hideTip() { tip.hidden = true; }

  // Text with every occurrence of the filter's terms marked.
  function marked(text, terms) {
    if (!terms.length || !text) return document.createTextNode(text || '');
    const lower = text.toLowerCase();
    const frag = document.createDocumentFragment();
    let at = 0;
    while (at < text.length) {
      let best = -1, len = 0;
      for (const t of terms) {
        const k = lower.indexOf(t, at);
        if (k >= 0 && (best < 0 || k < best || (k === best && t.length > len))) { best = k; len = t.length; }
      }
      if (best < 0) break;
      if (best > at) frag.appendChild(document.createTextNode(text.slice(at, best)));
      frag.appendChild(h('mark', null, text.slice(best, best + len)));
      at = best + len;
    }
    if (at < text.length) frag.appendChild(document.createTextNode(text.slice(at)));
    return frag;
  }

  // ----------------------------------------------------------- filter state
  const state = {
    text: '', type: '', year: '', org: '', place: '', lang: '', file: '', dup: '',
    sort: 'source', desc: false, page: 0, size: 50,
    open: new Set(),   // ids of rows showing their details
    matches: [],       // indices of the events shown, in order
  };
  const FILTER_KEYS = ['text', 'type', 'year', 'org', 'place', 'lang', 'file', 'dup'];

  function searchText(e) {
    if (e.search === null) {
      const parts = [e.id, e.title || '', files[e.file].name];
      // The item's own text: the context around it belongs to its neighbours.
      if (e.snippet) parts.push(e.snippet[1], e.snippet[2]);
      for (const o of e.orgs) parts.push(orgs[o][0], orgs[o][1].join(' '));
      for (const p of e.places) parts.push(places[p][0], places[p][3].join(' '));
      for (const name of e.people) parts.push(name);
      e.search = parts.join('\n').toLowerCase();
    }
    return e.search;
  }

  // The organizations a filter value names: exact name or alias first, else
  // every one whose name or alias contains it.
  function orgsMatching(value) {
    const v = value.trim().toLowerCase();
    const exact = new Set(), partial = new Set();
    orgs.forEach(function (o, i) {
      const names = [o[0]].concat(o[1]).map(function (n) { return n.toLowerCase(); });
      if (names.indexOf(v) >= 0) exact.add(i);
      else if (names.some(function (n) { return n.indexOf(v) >= 0; })) partial.add(i);
    });
    return exact.size ? exact : partial;
  }
  // A place filter names a country ("Canada", "CA", "Canada (country)") or places.
  function placesMatching(value) {
    const v = value.trim().toLowerCase().replace(/\s*\((country|all places in it)\)$/, '');
    for (const cc in countries) {
      if (cc.toLowerCase() === v || countries[cc].toLowerCase() === v) return { country: cc };
    }
    const exact = new Set(), partial = new Set();
    places.forEach(function (p, i) {
      const names = [p[0]].concat(p[3]).map(function (n) { return n.toLowerCase(); });
      if (names.indexOf(v) >= 0) exact.add(i);
      else if (names.some(function (n) { return n.indexOf(v) >= 0; })) partial.add(i);
    });
    return { places: exact.size ? exact : partial };
  }

  const SORTS = {
    source: function (a, b) { return a.file - b.file || a.item - b.item || a.i - b.i; },
    date: function (a, b) { return cmpStr(a.start, b.start) || cmpStr(a.end, b.end) || a.i - b.i; },
    type: function (a, b) { return cmpStr(typeName(a.type), typeName(b.type)) || cmpStr(a.start, b.start) || a.i - b.i; },
    title: function (a, b) { return cmpStr(a.title && a.title.toLowerCase(), b.title && b.title.toLowerCase()) || a.i - b.i; },
    orgs: function (a, b) { return b.orgs.length - a.orgs.length || a.i - b.i; },
    places: function (a, b) { return b.places.length - a.places.length || a.i - b.i; },
  };
  function cmpStr(a, b) { return a === b ? 0 : a < b ? -1 : 1; }
  // Events without the sort key (no date, no title) stay at the end both ways.
  function hasKey(e, key) { return key === 'date' ? e.start !== null : key === 'title' ? !!e.title : true; }

  let sortedCache = { key: null, desc: null, order: null };
  function sortedOrder() {
    if (sortedCache.key !== state.sort || sortedCache.desc !== state.desc) {
      const cmp = SORTS[state.sort];
      const key = state.sort;
      const withKey = events.filter(function (e) { return hasKey(e, key); }).sort(cmp);
      if (state.desc) withKey.reverse();
      const without = events.filter(function (e) { return !hasKey(e, key); }).sort(SORTS.source);
      sortedCache = { key: state.sort, desc: state.desc, order: withKey.concat(without).map(function (e) { return e.i; }) };
    }
    return sortedCache.order;
  }

  function applyFilters() {
    const terms = state.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const type = state.type === '' ? -1 : +state.type;
    const lang = state.lang === '' ? -1 : +state.lang;
    const file = state.file === '' ? -1 : +state.file;
    const year = state.year === '' ? null : state.year === 'none' ? 'none' : +state.year;
    const orgSet = state.org.trim() ? orgsMatching(state.org) : null;
    const placeSel = state.place.trim() ? placesMatching(state.place) : null;
    const out = [];
    for (const i of sortedOrder()) {
      const e = events[i];
      if (type >= 0 && e.type !== type) continue;
      if (lang >= 0 && e.lang !== lang) continue;
      if (file >= 0 && e.file !== file) continue;
      if (year !== null && (year === 'none' ? e.year !== null : e.year !== year)) continue;
      if (state.dup === 'original' && e.dupOf) continue;
      if (state.dup === 'retelling' && !e.dupOf) continue;
      if (orgSet && !e.orgs.some(function (o) { return orgSet.has(o); })) continue;
      if (placeSel) {
        if (placeSel.country) {
          if (!e.places.some(function (p) { return places[p][2] === placeSel.country; })) continue;
        } else if (!e.places.some(function (p) { return placeSel.places.has(p); })) continue;
      }
      if (terms.length) {
        const text = searchText(e);
        if (!terms.every(function (t) { return text.indexOf(t) >= 0; })) continue;
      }
      out.push(i);
    }
    state.matches = out;
  }

  // ------------------------------------------------------------ the header
  function renderHeader() {
    const sub = $('subtitle');
    sub.replaceChildren(
      fmtInt(events.length) + ' events from ' + fmtInt(files.length) + ' source files · records ',
      h('code', null, meta.source || '?'),
      ' · generated ' + meta.generated.replace('T', ' ').replace('Z', ' UTC'));
    const notes = $('notes');
    for (const n of meta.notes) notes.appendChild(h('div', { class: 'note' }, n));
    if (events.length !== meta.records) {
      notes.appendChild(h('div', { class: 'note' }, 'The data holds ' + events.length +
        ' events but the command read ' + meta.records + ' records.'));
    }
    $('footer').replaceChildren('newsevents ' + meta.version + ' · records ', h('code', null, meta.source),
      ' · source files from ', h('code', null, meta.corpus), ' (' + fmtInt(withSnippet) + ' of ' +
      fmtInt(events.length) + ' events with a snippet) · ' + meta.generated);
  }

  function renderKpis() {
    const dated = events.length - undated;
    const topType = typeCount.indexOf(Math.max.apply(null, typeCount.concat([0])));
    const retold = groups.reduce(function (n, g) { return n + g.members.length; }, 0);
    const langsUsed = langCount.map(function (n, l) { return [n, l]; }).filter(function (x) { return x[0] > 0; })
      .sort(function (a, b) { return b[0] - a[0]; });
    const kpis = [
      ['Events', fmtInt(events.length), 'from ' + fmtInt(files.length) + ' source files', '#3b6fd4'],
      ['Dated', fmtInt(dated), pct(dated, events.length) + (years.length ? ' · ' + years[0] + '–' + years[years.length - 1] : ''), '#2e9e5b'],
      ['Event types', fmtInt(types.length), topType >= 0 && events.length ? 'most: ' + typeName(topType) + ' (' + pct(typeCount[topType], events.length) + ')' : '', '#e8833a'],
      ['Languages', fmtInt(langsUsed.length), langsUsed.slice(0, 3).map(function (x) { return langs[x[1]] + ' ' + fmtInt(x[0]); }).join(' · '), '#8e5cc4'],
      ['Organizations', fmtInt(orgs.length), 'distinct names', '#17a2b8'],
      ['Places', fmtInt(places.length), fmtInt(countryCount.size) + ' countries', '#d4a017'],
      ['People', fmtInt(people.size), 'distinct names', '#c2569b'],
      ['Duplicate groups', fmtInt(groups.length), fmtInt(retold) + ' retellings', '#d9534f'],
    ];
    $('overview').replaceChildren.apply($('overview'), kpis.map(function (k) {
      return h('div', { class: 'kpi', style: 'border-top-color:' + k[3] },
        h('div', { class: 'l' }, k[0]), h('div', { class: 'v' }, k[1]), h('div', { class: 's' }, k[2]));
    }));
  }

  // -------------------------------------------------------------- bar lists
  // items: [{label, sub, value, color, tip, active, onclick}]
  function bars(container, items, opts) {
    opts = opts || {};
    const limit = opts.limit || Infinity;
    const max = items.reduce(function (m, it) { return Math.max(m, it.value); }, 0) || 1;
    let expanded = false;
    function draw() {
      const shown = expanded ? items : items.slice(0, limit);
      const list = h('div', { class: 'bars' }, shown.map(function (it) {
        const row = h('div', { class: 'bar-row' + (opts.stacked ? ' stacked' : '') + (it.active ? ' active' : ''), title: it.tip || null,
          role: it.onclick ? 'button' : null, tabindex: it.onclick ? '0' : null },
        h('div', { class: 'bar-label' }, it.swatch ? [swatch(it.color), ' '] : null, it.label,
          it.sub ? h('span', { class: 'sub' }, it.sub) : null),
        h('div', { class: 'bar-track' }, h('div', { class: 'bar-fill',
          style: 'width:' + (100 * it.value / max).toFixed(2) + '%;' + (it.color ? 'background:' + it.color : '') })),
        h('div', { class: 'bar-value' }, fmtInt(it.value)));
        if (it.onclick) {
          row.addEventListener('click', it.onclick);
          row.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') it.onclick(); });
        }
        return row;
      }));
      const parts = [items.length ? list : h('div', { class: 'empty' }, opts.empty || 'nothing to show')];
      if (items.length > limit) {
        parts.push(h('button', { class: 'more', type: 'button', onclick: function () { expanded = !expanded; draw(); } },
          expanded ? 'Show the top ' + limit : 'Show all ' + fmtInt(items.length)));
      }
      container.replaceChildren.apply(container, parts);
    }
    draw();
  }

  // A click in a chart filters the table and shows it.
  function filterBy(key, value) {
    setFilter(key, state[key] === String(value) ? '' : String(value));
    $('events').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  function renderCharts() {
    const typeOrder = types.map(function (t, i) { return i; })
      .sort(function (a, b) { return typeCount[b] - typeCount[a] || types[a].slot - types[b].slot; });
    bars($('by-type'), typeOrder.map(function (t) {
      return { label: typeName(t), value: typeCount[t], color: typeColor[t], swatch: true,
        tip: types[t].description || null, active: state.type === String(t),
        onclick: function () { filterBy('type', t); } };
    }));
    const yearItems = years.map(function (y) {
      return { label: String(y), value: yearCount.get(y), active: state.year === String(y),
        onclick: function () { filterBy('year', y); } };
    }).reverse();
    if (undated) {
      yearItems.push({ label: 'no event date', value: undated, color: OTHER_COLOR, active: state.year === 'none',
        onclick: function () { filterBy('year', 'none'); } });
    }
    bars($('by-year'), yearItems, { limit: 12 });
    bars($('by-lang'), langCount.map(function (n, l) { return [n, l]; }).filter(function (x) { return x[0]; })
      .sort(function (a, b) { return b[0] - a[0]; }).map(function (x) {
        return { label: langName(x[1]), value: x[0], color: '#8e5cc4', active: state.lang === String(x[1]),
          onclick: function () { filterBy('lang', x[1]); } };
      }));
    bars($('by-file'), fileCount.map(function (n, f) { return [n, f]; }).filter(function (x) { return x[0]; })
      .sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; }).map(function (x) {
        const f = files[x[1]];
        return { label: f.name, sub: f.missing ? 'not found' : null, value: x[0], color: '#5b7083',
          tip: f.name + (f.missing ? ' (not found in ' + meta.corpus + ': no snippets)' : ''),
          active: state.file === String(x[1]), onclick: function () { filterBy('file', x[1]); } };
      }), { limit: 12, stacked: true });

    const ONLINE = { online: 'online', hybrid: 'hybrid', in_person: 'in person' };
    bars($('by-format'), countBy(function (e) { return e.online; }).map(function (x) {
      return { label: x[0] === null ? 'not said' : ONLINE[x[0]] || x[0], value: x[1], color: x[0] === null ? OTHER_COLOR : '#17a2b8' };
    }));
    bars($('by-role'), countBy(function (e) { return e.role; }).map(function (x) {
      return { label: x[0] === null ? 'not said' : x[0], value: x[1], color: x[0] === null ? OTHER_COLOR : '#c2569b' };
    }));

    bars($('top-orgs'), orgCount.map(function (n, o) { return [n, o]; }).filter(function (x) { return x[0]; })
      .sort(function (a, b) { return b[0] - a[0] || cmpStr(orgs[a[1]][0], orgs[b[1]][0]); }).map(function (x) {
        const o = orgs[x[1]];
        return { label: o[0], sub: o[1].length ? o[1].join(', ') : null, value: x[0], color: '#17a2b8',
          tip: o[0] + (o[1].length ? '\nalso written: ' + o[1].join(', ') : ''),
          active: state.org === o[0], onclick: function () { filterBy('org', o[0]); } };
      }), { limit: 15, stacked: true, empty: 'no organizations' });

    bars($('top-places'), placeCount.map(function (n, p) { return [n, p]; }).filter(function (x) { return x[0]; })
      .sort(function (a, b) { return b[0] - a[0] || cmpStr(places[a[1]][0], places[b[1]][0]); }).map(function (x) {
        const p = places[x[1]];
        const where = (KIND_NAMES[p[1]] || p[1]) + (p[2] && p[1] !== 'country' ? ', ' + countryName(p[2]) : '');
        return { label: p[0], sub: where, value: x[0], color: '#d4a017',
          tip: p[0] + ' (' + where + ')' + (p[3].length ? '\nwritten: ' + p[3].join(', ') : ''),
          active: state.place === p[0], onclick: function () { filterBy('place', p[0]); } };
      }), { limit: 15, stacked: true, empty: 'no places' });

    bars($('by-country'), Array.from(countryCount.entries())
      .sort(function (a, b) { return b[1] - a[1] || cmpStr(a[0], b[0]); }).map(function (x) {
        return { label: countryName(x[0]), sub: x[0], value: x[1], color: '#2e9e5b',
          tip: countryName(x[0]) + ' (' + x[0] + '): ' + plural(x[1], 'event'),
          active: state.place === countryName(x[0]), onclick: function () { filterBy('place', countryName(x[0])); } };
      }), { limit: 15, empty: 'no place with a country' });
  }

  // [[value, events]] of a field, most frequent first, "not said" (null) last.
  function countBy(field) {
    const counts = new Map();
    for (const e of events) { const v = field(e); counts.set(v, (counts.get(v) || 0) + 1); }
    return Array.from(counts.entries()).sort(function (a, b) {
      return (a[0] === null) - (b[0] === null) || b[1] - a[1];
    });
  }

  // --------------------------------------------------------------- timeline
  function niceMax(v) {
    if (v <= 5) return Math.max(v, 1);
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function timelineBuckets() {
    if (!years.length) return null;
    const y0 = years[0], y1 = years[years.length - 1];
    // Months when the events fit in a few years, else years: a bar per bucket
    // stays wide enough to see and to click.
    const monthly = y1 - y0 < 4;
    const buckets = [];
    const index = new Map();
    if (monthly) {
      for (let y = y0; y <= y1; ++y) for (let m = 1; m <= 12; ++m) {
        const key = y + '-' + String(m).padStart(2, '0');
        index.set(key, buckets.length);
        buckets.push({ key: key, year: y, label: MONTHS[m - 1] + ' ' + y, counts: new Array(types.length).fill(0), total: 0 });
      }
    } else {
      for (let y = y0; y <= y1; ++y) {
        index.set(String(y), buckets.length);
        buckets.push({ key: String(y), year: y, label: String(y), counts: new Array(types.length).fill(0), total: 0 });
      }
    }
    let yearOnly = 0;
    for (const e of events) {
      if (!e.start) continue;
      const key = monthly ? e.start.slice(0, 7) : e.start.slice(0, 4);
      const b = index.get(key);
      if (b === undefined) { yearOnly++; continue; }  // monthly view, year-only date
      buckets[b].counts[e.type]++;
      buckets[b].total++;
    }
    return { monthly: monthly, buckets: buckets, yearOnly: yearOnly };
  }

  function renderTimeline() {
    const box = $('timeline');
    const data = timelineBuckets();
    const notes = [];
    if (!data) {
      box.replaceChildren(h('div', { class: 'empty' }, 'No event has an event date.'));
      $('legend').replaceChildren();
      $('timeline-note').textContent = undated ? fmtInt(undated) + ' events without an event date.' : '';
      return;
    }
    const W = Math.max(box.clientWidth || 900, 320), H = 260;
    const M = { l: 44, r: 8, t: 10, b: 30 };
    const iw = W - M.l - M.r, ih = H - M.t - M.b;
    const n = data.buckets.length;
    const max = niceMax(data.buckets.reduce(function (m, b) { return Math.max(m, b.total); }, 0));
    const step = iw / n;
    const barW = Math.max(1, step * (data.monthly ? 0.78 : 0.66));
    const y = function (v) { return M.t + ih - ih * v / max; };
    const order = types.map(function (t, i) { return i; }).sort(function (a, b) { return types[a].slot - types[b].slot; });

    const svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img',
      'aria-label': 'Events per ' + (data.monthly ? 'month' : 'year') + ', stacked by type' });
    const grid = s('g', { class: 'grid' });
    const ticks = max <= 5 ? max : 4;
    for (let k = 0; k <= ticks; ++k) {
      const v = Math.round(max * k / ticks);
      grid.appendChild(s('line', { x1: M.l, x2: W - M.r, y1: y(v), y2: y(v) }));
      grid.appendChild(s('text', { x: M.l - 8, y: y(v) + 4, 'text-anchor': 'end' }, fmtInt(v)));
    }
    svg.appendChild(grid);

    const axis = s('g', { class: 'axis' });
    axis.appendChild(s('line', { x1: M.l, x2: W - M.r, y1: M.t + ih, y2: M.t + ih }));
    // Label every bucket that has room, and always each January of a monthly view.
    const every = Math.max(1, Math.ceil(44 / step));
    data.buckets.forEach(function (b, k) {
      const cx = M.l + step * (k + 0.5);
      let label = null;
      if (data.monthly) {
        if (b.key.endsWith('-01')) label = String(b.year);
      } else if (k % every === 0) {
        label = b.label;
      }
      if (label) {
        axis.appendChild(s('line', { x1: cx, x2: cx, y1: M.t + ih, y2: M.t + ih + 4 }));
        axis.appendChild(s('text', { x: data.monthly ? M.l + step * k : cx, y: H - 10,
          'text-anchor': data.monthly ? 'start' : 'middle' }, label));
      }
    });
    svg.appendChild(axis);

    data.buckets.forEach(function (b, k) {
      const x = M.l + step * k + (step - barW) / 2;
      const g = s('g', { class: 'bucket' + (state.year === String(b.year) ? ' active' : ''), 'data-key': b.key });
      g.appendChild(s('rect', { class: 'hit', x: M.l + step * k, y: M.t, width: step, height: ih }));
      let acc = 0;
      for (const t of order) {
        const c = b.counts[t];
        if (!c) continue;
        const y0 = y(acc), y1 = y(acc + c);
        g.appendChild(s('rect', { class: 'seg', x: x, y: y1, width: barW, height: Math.max(0.5, y0 - y1 - (acc ? 0.75 : 0)),
          fill: typeColor[t], rx: Math.min(2, barW / 4) }));
        acc += c;
      }
      g.addEventListener('mousemove', function (ev) { showTip(ev, bucketTip(b, order)); });
      g.addEventListener('mouseleave', hideTip);
      g.addEventListener('click', function () { hideTip(); filterBy('year', b.year); });
      svg.appendChild(g);
    });
    box.replaceChildren(svg);

    $('legend').replaceChildren.apply($('legend'), order.filter(function (t) { return typeCount[t]; }).map(function (t) {
      return h('button', { type: 'button', class: state.type === String(t) ? 'active' : null,
        title: types[t].description || null, onclick: function () { filterBy('type', t); } },
      swatch(typeColor[t]), typeName(t) + ' ' + fmtInt(typeCount[t]));
    }));
    if (undated) notes.push(fmtInt(undated) + ' events have no event date and are not on the timeline');
    if (data.yearOnly) notes.push(fmtInt(data.yearOnly) + ' are dated to the year only and not placed on the monthly axis');
    $('timeline-note').textContent = notes.length ? notes.join('; ') + '.' : '';
  }

  function bucketTip(b, order) {
    const rows = order.filter(function (t) { return b.counts[t]; })
      .sort(function (x, z) { return b.counts[z] - b.counts[x]; })
      .map(function (t) {
        return h('div', { class: 'tt-row' }, swatch(typeColor[t]), typeName(t), h('span', { class: 'n' }, fmtInt(b.counts[t])));
      });
    return h('div', null, h('div', { class: 'tt-head' }, b.label + ': ' + plural(b.total, 'event')),
      rows.length ? rows : h('div', null, 'no events'),
      h('div', { style: 'opacity:.7;margin-top:4px' }, 'click: events of ' + b.year));
  }

  // ------------------------------------------------------ duplicate groups
  // Groups and retellings are shown a few at a time: a large drop can have
  // thousands of groups, and a story retold a thousand times.
  const DUP_STEP = 12, RETELLINGS_SHOWN = 5;
  let dupShown = DUP_STEP;
  const dupOpen = new Set();  // groups showing all their retellings
  function renderDuplicates() {
    const box = $('dup-groups');
    const retold = groups.reduce(function (n, g) { return n + g.members.length; }, 0);
    $('dup-hint').textContent = groups.length
      ? fmtInt(groups.length) + ' stories told more than once, ' + fmtInt(retold) + ' retellings · each story with its retellings'
      : 'each story with its retellings';
    if (!groups.length) {
      box.replaceChildren(h('div', { class: 'empty' }, 'No duplicates: every event is told once.'));
      return;
    }
    const cards = groups.slice(0, dupShown).map(function (g, k) {
      const head = g.root >= 0 ? dupLine(events[g.root], true)
        : h('div', { class: 'dup-item original' }, h('span', { class: 'mark' }, '●'),
          h('div', null, h('div', { class: 't' }, 'A story from an earlier run'), h('div', { class: 'meta' }, g.rootId)));
      const all = dupOpen.has(k);
      const members = all ? g.members : g.members.slice(0, RETELLINGS_SHOWN);
      const list = h('div', { class: 'dup-retellings' }, members.map(function (i) { return dupLine(events[i], false); }));
      if (g.members.length > RETELLINGS_SHOWN) {
        list.appendChild(h('button', { class: 'more', type: 'button', onclick: function () {
          if (all) dupOpen.delete(k); else dupOpen.add(k);
          renderDuplicates();
        } }, all ? 'Show fewer' : 'Show all ' + fmtInt(g.members.length) + ' retellings'));
      }
      return h('div', { class: 'dup-group' }, head, list);
    });
    const parts = [h('div', { class: 'dup-grid' }, cards)];
    if (groups.length > dupShown) {
      const more = Math.min(4 * DUP_STEP, groups.length - dupShown);
      parts.push(h('button', { class: 'more', type: 'button', onclick: function () { dupShown += more; renderDuplicates(); } },
        'Show ' + fmtInt(more) + ' more groups (' + fmtInt(groups.length - dupShown) + ' not shown)'));
    } else if (groups.length > DUP_STEP) {
      parts.push(h('button', { class: 'more', type: 'button', onclick: function () { dupShown = DUP_STEP; renderDuplicates(); } },
        'Show the first ' + DUP_STEP + ' groups'));
    }
    box.replaceChildren.apply(box, parts);
  }

  function dupLine(e, original) {
    return h('div', { class: 'dup-item' + (original ? ' original' : '') },
      h('span', { class: 'mark', title: original ? 'the story' : 'a retelling' }, original ? '●' : '↳'),
      h('div', null,
        h('div', { class: 't' }, e.title || firstWords(e)),
        h('div', { class: 'meta' }, swatch(typeColor[e.type]), ' ', typeName(e.type), ' · ',
          e.start ? fmtIso(e.start) : 'no date', ' · ', files[e.file].name + ' #' + e.item, ' · ',
          h('a', { href: '#events', onclick: function (ev) { ev.preventDefault(); focusEvent(e.id); } }, e.id))));
  }

  function firstWords(e) {
    const text = e.snippet ? (e.snippet[1] + ' ' + e.snippet[2]).trim() : '';
    return text ? text.slice(0, 90) + (text.length > 90 ? '…' : '') : '(no title)';
  }

  // Shows one event alone in the table, with its details open.
  function focusEvent(id) {
    for (const k of FILTER_KEYS) state[k] = '';
    state.text = id;
    state.open.add(id);
    syncInputs();
    update();
    $('events').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  // ------------------------------------------------------------ the table
  function renderTable() {
    const terms = state.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const total = state.matches.length;
    const size = state.size === 'all' ? Math.max(total, 1) : state.size;
    const pages = Math.max(1, Math.ceil(total / size));
    if (state.page >= pages) state.page = pages - 1;
    const from = state.page * size, to = Math.min(total, from + size);
    const tbody = document.querySelector('#events-table tbody');
    const rows = [];
    for (let k = from; k < to; ++k) {
      const e = events[state.matches[k]];
      rows.push(eventRow(e, terms));
      if (state.open.has(e.id)) rows.push(detailRow(e));
    }
    if (!rows.length) rows.push(h('tr', { class: 'no-rows' }, h('td', { colspan: '6' }, 'No event matches these filters.')));
    tbody.replaceChildren.apply(tbody, rows);

    const count = $('match-count');
    count.dataset.matches = String(total);
    const filtered = FILTER_KEYS.some(function (k) { return state[k] !== ''; });
    count.replaceChildren(total ? 'Showing ' : '', total ? h('b', null, fmtInt(from + 1) + '–' + fmtInt(to)) : '',
      total ? ' of ' : '', h('b', null, fmtInt(total)), filtered ? ' matching events (' + fmtInt(events.length) + ' in all)' : ' events');
    $('page-info').textContent = 'page ' + fmtInt(state.page + 1) + ' of ' + fmtInt(pages);
    $('page-first').disabled = $('page-prev').disabled = state.page === 0;
    $('page-next').disabled = $('page-last').disabled = state.page >= pages - 1;
    document.querySelectorAll('#events-table th').forEach(function (th) {
      th.classList.toggle('sorted', th.dataset.sort === state.sort);
      th.classList.toggle('desc', th.dataset.sort === state.sort && state.desc);
    });
  }

  function eventRow(e, terms) {
    const tr = h('tr', { class: 'row' + (state.open.has(e.id) ? ' open' : ''), 'data-id': e.id, 'data-type': types[e.type].name });
    tr.appendChild(h('td', { class: 'date' }, e.start
      ? [fmtIso(e.start), e.end ? h('span', { class: 'to' }, 'to ' + fmtIso(e.end)) : null]
      : h('span', { class: 'nodate' }, 'no date')));
    tr.appendChild(h('td', null, h('span', { class: 'type-chip', title: types[e.type].description || null },
      swatch(typeColor[e.type]), typeName(e.type)),
      e.conf !== null && e.conf !== undefined ? h('span', { class: 'conf' }, 'confidence ' + Math.round(e.conf * 100) + '%') : null));

    const badges = [
      e.dupOf ? h('span', { class: 'dup-badge', title: 'retells ' + e.dupOf }, 'retelling') : null,
      e.retellings ? h('span', { class: 'dup-badge', title: 'told again in ' + e.retellings.length + ' other items' },
        '+' + e.retellings.length + ' retelling' + (e.retellings.length > 1 ? 's' : '')) : null,
    ];
    // An item without a headline is shown by its text alone.
    const text = h('td', null, e.title
      ? h('div', { class: 'ev-title' }, marked(e.title, terms), badges)
      : (badges[0] || badges[1] ? h('div', null, badges) : null));
    text.appendChild(snippetNode(e, terms));
    tr.appendChild(text);

    tr.appendChild(h('td', null, chips(e.orgs.map(function (o) {
      return { text: orgs[o][1].length ? orgs[o][1][0] : orgs[o][0], tip: orgs[o][0] + (orgs[o][1].length ? '\nalso: ' + orgs[o][1].join(', ') : '') };
    }), 4)));
    tr.appendChild(h('td', null, chips(e.places.map(function (p) {
      const pl = places[p];
      return { text: pl[0], tip: pl[0] + ' (' + (KIND_NAMES[pl[1]] || pl[1]) + (pl[2] ? ', ' + countryName(pl[2]) : '') + ')' +
        (pl[3].length ? '\nwritten: ' + pl[3].join(', ') : '') };
    }), 4)));
    tr.appendChild(h('td', { class: 'src' }, files[e.file].name,
      h('span', { class: 'pos' }, '#' + e.item + (e.span ? ' · bytes ' + fmtInt(e.span[0]) + '–' + fmtInt(e.span[1]) : ''))));
    return tr;
  }

  function chips(list, limit) {
    if (!list.length) return h('span', { class: 'nodate' }, '–');
    const shown = list.slice(0, limit).map(function (c) { return h('span', { class: 'chip', title: c.tip }, c.text); });
    if (list.length > limit) {
      shown.push(h('span', { class: 'chip more-chip', title: list.slice(limit).map(function (c) { return c.text; }).join('\n') },
        '+' + (list.length - limit)));
    }
    return h('div', { class: 'chips' }, shown);
  }

  function snippetNode(e, terms) {
    const sn = e.snippet;
    if (!sn) {
      const why = files[e.file].missing ? 'source file not found in ' + meta.corpus + ': no snippet'
        : 'no snippet: the source file no longer has this text at its place';
      return h('div', { class: 'snippet missing' }, why);
    }
    return h('div', { class: 'snippet', title: 'the item\'s text (highlighted) in its source file' },
      sn[0] ? h('span', { class: 'ctx' }, '…', marked(sn[0], terms), ' ') : null,
      h('span', { class: 'in' }, sn[1] && !e.title ? h('b', null, marked(sn[1], terms)) : null,
        sn[1] && sn[2] && !e.title ? ' ' : '', marked(sn[2], terms), sn[4] ? ' …' : ''),
      sn[3] ? h('span', { class: 'ctx' }, ' ', marked(sn[3], terms), '…') : null);
  }

  function detailRow(e) {
    const grid = h('div', { class: 'detail-grid' });
    const facts = h('dl', { class: 'kv' });
    function fact(k, v) { if (v !== null && v !== undefined && v !== '') facts.append(h('dt', null, k), h('dd', null, v)); }
    fact('id', h('span', { class: 'id' }, e.id));
    fact('type', typeName(e.type) + (e.conf !== null ? ' (confidence ' + Math.round(e.conf * 100) + '%)' : ''));
    fact('event date', e.start ? fmtIso(e.start) + (e.end ? ' to ' + fmtIso(e.end) : '') : 'none');
    fact('language', langName(e.lang));
    fact('online', e.online ? e.online.replace('_', ' ') : null);
    fact('role', e.role);
    fact('participants', e.participants);
    fact('nationalities', e.nationalities);
    fact('source', files[e.file].name + ' #' + e.item + (e.span ? ', bytes ' + e.span[0] + '–' + e.span[1] : ''));
    grid.appendChild(h('div', null, h('h4', null, 'Facts'), facts));

    function list(title, items) {
      grid.appendChild(h('div', null, h('h4', null, title),
        items.length ? h('ul', null, items.map(function (x) { return h('li', null, x); })) : h('span', { class: 'nodate' }, 'none')));
    }
    list('Dates mentioned', e.dates.map(function (d) {
      return ['“' + d[0] + '” → ' + fmtIso(d[1]) + (d[2] ? ' to ' + fmtIso(d[2]) : ''), h('span', { class: 'hint' }, ' ' + d[3])];
    }));
    list('Organizations', e.orgs.map(function (o) {
      return [orgs[o][0], orgs[o][1].length ? h('span', { class: 'hint' }, ' (' + orgs[o][1].join(', ') + ')') : null];
    }));
    list('Places', e.places.map(function (p) {
      const pl = places[p];
      return [pl[0], h('span', { class: 'hint' }, ' ' + (KIND_NAMES[pl[1]] || pl[1]) + (pl[2] ? ', ' + countryName(pl[2]) : '') +
        (pl[3].length ? ' · written ' + pl[3].join(', ') : ''))];
    }));
    if (e.people.length) list('People', e.people);
    if (e.organizers.length) list('Organizers', e.organizers);
    if (e.dupOf || e.retellings) {
      const items = [];
      if (e.dupOf) {
        const j = byId.get(e.dupOf);
        items.push(['retells ', j === undefined ? h('span', { class: 'id' }, e.dupOf + ' (an earlier run)') : eventLink(events[j])]);
      }
      for (const i of e.retellings || []) items.push(['told again: ', eventLink(events[i])]);
      list('Duplicates', items);
    }
    if (e.warnings.length) list('Warnings', e.warnings);
    return h('tr', { class: 'detail' }, h('td', { colspan: '6' }, grid));
  }

  function eventLink(e) {
    return h('a', { href: '#events', onclick: function (ev) { ev.preventDefault(); ev.stopPropagation(); focusEvent(e.id); } },
      e.title || firstWords(e));
  }

  // --------------------------------------------------------------- controls
  const INPUTS = { text: 'f-text', type: 'f-type', year: 'f-year', org: 'f-org', place: 'f-place',
    lang: 'f-lang', file: 'f-file', dup: 'f-dup' };

  function fillControls() {
    const typeSel = $('f-type');
    types.map(function (t, i) { return i; }).sort(function (a, b) { return typeCount[b] - typeCount[a]; })
      .forEach(function (t) { typeSel.appendChild(h('option', { value: String(t), 'data-name': types[t].name }, typeName(t) + ' (' + fmtInt(typeCount[t]) + ')')); });
    const yearSel = $('f-year');
    years.slice().reverse().forEach(function (y) { yearSel.appendChild(h('option', { value: String(y) }, y + ' (' + fmtInt(yearCount.get(y)) + ')')); });
    if (undated) yearSel.appendChild(h('option', { value: 'none' }, 'no date (' + fmtInt(undated) + ')'));
    const langSel = $('f-lang');
    langs.forEach(function (l, i) { langSel.appendChild(h('option', { value: String(i) }, langName(i) + ' (' + fmtInt(langCount[i]) + ')')); });
    const fileSel = $('f-file');
    files.forEach(function (f, i) { fileSel.appendChild(h('option', { value: String(i) }, f.name + ' (' + fmtInt(fileCount[i]) + ')')); });
    // Suggestions, most frequent first; a few thousand keep the inputs quick.
    const orgList = $('org-list');
    orgCount.map(function (n, o) { return [n, o]; }).sort(function (a, b) { return b[0] - a[0]; }).slice(0, 2000)
      .forEach(function (x) { orgList.appendChild(h('option', { value: orgs[x[1]][0] })); });
    const placeList = $('place-list');
    Array.from(countryCount.keys()).sort().forEach(function (cc) { placeList.appendChild(h('option', { value: countryName(cc) + ' (country)' })); });
    const seen = new Set();
    placeCount.map(function (n, p) { return [n, p]; }).sort(function (a, b) { return b[0] - a[0]; }).slice(0, 2000)
      .forEach(function (x) {
        const name = places[x[1]][0];
        if (!seen.has(name) && places[x[1]][1] !== 'country') { seen.add(name); placeList.appendChild(h('option', { value: name })); }
      });
    // "all" rows is for small reports: a page of 100,000 rows would freeze the tab.
    if (events.length > 5000) {
      const all = document.querySelector('#page-size option[value="all"]');
      all.disabled = true;
      all.textContent = 'all (up to 5,000)';
    }
  }

  function syncInputs() {
    for (const k of FILTER_KEYS) {
      const el = $(INPUTS[k]);
      if (el.value !== state[k]) el.value = state[k];
      el.classList.toggle('set', state[k] !== '');
    }
  }

  function setFilter(key, value) {
    state[key] = value;
    state.page = 0;
    syncInputs();
    update();
  }

  let chartsDirty = false;
  function update() {
    applyFilters();
    renderTable();
    // Charts show every event; only their highlighted bar follows the filters.
    chartsDirty = true;
    requestAnimationFrame(function () {
      if (!chartsDirty) return;
      chartsDirty = false;
      renderCharts();
      renderTimeline();
    });
  }

  function wireControls() {
    let timer = 0;
    $('f-text').addEventListener('input', function () {
      clearTimeout(timer);
      const v = this.value;
      timer = setTimeout(function () { setFilter('text', v); }, events.length > 20000 ? 250 : 120);
    });
    ['type', 'year', 'lang', 'file', 'dup'].forEach(function (k) {
      $(INPUTS[k]).addEventListener('change', function () { setFilter(k, this.value); });
    });
    ['org', 'place'].forEach(function (k) {
      const el = $(INPUTS[k]);
      let t = 0;
      el.addEventListener('input', function () {
        clearTimeout(t);
        const v = el.value;
        t = setTimeout(function () { setFilter(k, v); }, 200);
      });
    });
    $('f-reset').addEventListener('click', function () {
      for (const k of FILTER_KEYS) state[k] = '';
      state.page = 0;
      syncInputs();
      update();
    });
    $('page-size').addEventListener('change', function () {
      state.size = this.value === 'all' ? 'all' : +this.value;
      state.page = 0;
      renderTable();
    });
    function go(page) { state.page = page; renderTable(); }
    $('page-first').addEventListener('click', function () { go(0); });
    $('page-prev').addEventListener('click', function () { go(Math.max(0, state.page - 1)); });
    $('page-next').addEventListener('click', function () { go(state.page + 1); });
    $('page-last').addEventListener('click', function () { go(1e9); });
    document.querySelectorAll('#events-table th').forEach(function (th) {
      th.addEventListener('click', function () {
        const key = th.dataset.sort;
        if (state.sort === key) state.desc = !state.desc;
        else { state.sort = key; state.desc = false; }
        state.page = 0;
        applyFilters();
        renderTable();
      });
    });
    document.querySelector('#events-table tbody').addEventListener('click', function (ev) {
      if (ev.target.closest('a')) return;
      const tr = ev.target.closest('tr.row');
      if (!tr) return;
      const id = tr.dataset.id;
      if (state.open.has(id)) state.open.delete(id); else state.open.add(id);
      renderTable();
    });
    let resize = 0;
    window.addEventListener('resize', function () {
      clearTimeout(resize);
      resize = setTimeout(renderTimeline, 150);
    });
  }

  // ------------------------------------------------------------------ start
  renderHeader();
  renderKpis();
  fillControls();
  wireControls();
  renderCharts();
  renderTimeline();
  renderDuplicates();
  applyFilters();
  renderTable();
  document.documentElement.dataset.ready = 'true';
  // For tests and the console: what the page holds and shows.
  window.newseventsReport = {
    events: events.length,
    matches: function () { return state.matches.length; },
    state: state,
  };
})();
