// ---- common helpdesk helpers (independent reference) ----
function round(x, d) {
  const f = Math.pow(10, d);
  const s = x < 0 ? -1 : 1;
  return s * Math.round(Number((Math.abs(x) * f).toPrecision(12))) / f + 0;
}
// a moment: epoch milliseconds (number or digit string) or ISO text with Z / ±HH:MM
function instant(t) {
  if (typeof t === 'number') return t;
  const s = String(t).trim();
  if (/^\d{11,}$/.test(s)) return parseInt(s, 10);
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) throw new Error('bad timestamp ' + t);
  let ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0)) + (m[7] ? Math.round(Number('0.' + m[7]) * 1000) : 0);
  const z = m[8] || 'Z';
  if (z !== 'Z') {
    const sg = z[0] === '-' ? -1 : 1;
    ms -= sg * (+z.slice(1, 3) * 60 + +z.slice(-2)) * 60000;
  }
  return ms;
}
function offsetMinutes(o) {
  const m = /^([+-])(\d{1,2}):?(\d{2})$/.exec(String(o).trim());
  if (!m) throw new Error('bad offset ' + o);
  return (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + +m[3]);
}
function median(xs) {
  const a = xs.slice().sort((p, q) => p - q);
  const n = a.length;
  return n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
}
const AGENTS = new Map(readCSV('agents.csv', { typed: false }).map(a => [String(a.agent_id).trim().toLowerCase(), a]));
const FIELDS = readJSON('fields.json');
function field(title) {
  const f = FIELDS.find(x => String(x.title).trim().toLowerCase() === title.toLowerCase());
  if (!f) throw new Error('no field ' + title);
  const names = new Map(f.options.map(o => [String(o.value).trim().toLowerCase(), o.name]));
  return { f, names, order: f.options.map(o => o.name) };
}
// the value of a ticket's custom field as the option's name (or the field's default, or null)
function fieldName(ticket, fd) {
  const cf = (ticket.custom_fields || []).find(c => Number(c.id) === Number(fd.f.id));
  const v = cf && cf.value !== null && cf.value !== undefined && String(cf.value).trim() !== '' ? cf.value : fd.f.default;
  if (v === null || v === undefined) return null;
  const n = fd.names.get(String(v).trim().toLowerCase());
  if (n === undefined) throw new Error('unknown option ' + v);
  return n;
}
const TICKETS = readJSONL('tickets.jsonl');
function events(t) {
  return (t.log || []).map(e => ({ ...e, ms: instant(e.at) })).sort((a, b) => a.ms - b.ms);
}
function agentOf(e) {
  if (e.by === null || e.by === undefined) return null;
  const k = String(e.by).trim().toLowerCase();
  return AGENTS.has(k) ? k : null;
}
function isReply(e) {
  return e.type === 'comment' && (e.public === true || e.public === 'true' || e.public === 1) && agentOf(e) !== null;
}
function firstReply(t) {
  let best = null;
  for (const e of events(t)) if (isReply(e) && (!best || e.ms < best.ms)) best = e;
  return best;
}
function minutesToFirstReply(t) {
  const r = firstReply(t);
  return r ? (r.ms - instant(t.created_at)) / 60000 : null;
}

// ---- task ----
const P = field('Priority');
const plans = new Map(readCSV('orgs.csv', { typed: false }).map(o => [String(o.external_id).trim().toUpperCase(), String(o.plan).trim()]));
const target = new Map(readCSV('sla.csv', { typed: false }).map(s => [String(s.plan).trim() + '|' + String(s.priority).trim(), Number(s.first_reply_minutes)]));
const agg = new Map();
for (const t of TICKETS) {
  const m = minutesToFirstReply(t);
  if (m === null) continue;
  const plan = plans.get(String(t.requester.org).trim().toUpperCase());
  if (plan === undefined) throw new Error('unknown org ' + t.requester.org);
  const tg = target.get(plan + '|' + fieldName(t, P));
  if (tg === undefined) throw new Error('no target');
  if (!agg.has(plan)) agg.set(plan, { n: 0, b: 0 });
  const g = agg.get(plan); g.n++; if (m > tg) g.b++;
}
const rows = [...agg.keys()].sort().map(k => { const g = agg.get(k); return { plan: k, tickets: g.n, breached: g.b, breached_pct: round(100 * g.b / g.n, 2) }; });
console.log(JSON.stringify(rows));
