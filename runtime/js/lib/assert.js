// Node's `assert`: a failed check throws an AssertionError whose message says
// what was expected and what came, values shown as console.log shows them.
(function (internals) {
  const { lib } = internals;
  const show = (v) => lib("inspect").inspect(v);

  class AssertionError extends Error {
    constructor(options) {
      super(options.message);
      this.name = "AssertionError";
      this.code = "ERR_ASSERTION";
      this.actual = options.actual;
      this.expected = options.expected;
      this.operator = options.operator;
      this.generatedMessage = !options.given;
    }
  }

  function fail(given, fallback, actual, expected, operator) {
    if (given instanceof Error) throw given;
    throw new AssertionError({ message: given === undefined ? fallback : String(given), given: given !== undefined,
                               actual, expected, operator });
  }

  // Node's deep equality: strict compares with Object.is and prototypes; loose with ==.
  function deepEqual(a, b, strict, seen = new Map()) {
    if (strict ? Object.is(a, b) : a == b || (a !== a && b !== b)) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (seen.get(a) === b) return true;
    seen.set(a, b);
    if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
    if (a instanceof RegExp && b instanceof RegExp) return String(a) === String(b);
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (a instanceof Map && b instanceof Map) {
      if (a.size !== b.size) return false;
      for (const [k, v] of a) if (!b.has(k) || !deepEqual(v, b.get(k), strict, seen)) return false;
      return true;
    }
    if (a instanceof Set && b instanceof Set) {
      if (a.size !== b.size) return false;
      for (const v of a) if (!b.has(v) && ![...b].some((w) => deepEqual(v, w, strict, seen))) return false;
      return true;
    }
    const ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k], strict, seen)) return false;
    return true;
  }

  const differ = (a, b, head) => `${head}\n+ actual - expected\n\n+ ${show(a)}\n- ${show(b)}\n`;

  function ok(value, message) {
    if (!value) fail(message, `The expression evaluated to a falsy value:\n\n  assert.ok(${show(value)})\n`, value, true, "==");
  }
  const assert = (value, message) => ok(value, message);
  Object.assign(assert, {
    ok, AssertionError, fail: (message = "Failed") => fail(message, "Failed", undefined, undefined, "fail"),
    equal(a, b, m) { if (!(a == b || (a !== a && b !== b))) fail(m, `${show(a)} == ${show(b)}`, a, b, "=="); },
    notEqual(a, b, m) { if (a == b) fail(m, `${show(a)} != ${show(b)}`, a, b, "!="); },
    strictEqual(a, b, m) {
      if (!Object.is(a, b)) fail(m, `Expected values to be strictly equal:\n\n${show(a)} !== ${show(b)}\n`, a, b, "strictEqual");
    },
    notStrictEqual(a, b, m) {
      if (Object.is(a, b)) fail(m, `Expected "actual" to be strictly unequal to: ${show(b)}`, a, b, "notStrictEqual");
    },
    deepEqual(a, b, m) { if (!deepEqual(a, b, false)) fail(m, differ(a, b, "Expected values to be loosely deep-equal:"), a, b, "deepEqual"); },
    deepStrictEqual(a, b, m) {
      if (!deepEqual(a, b, true)) fail(m, differ(a, b, "Expected values to be strictly deep-equal:"), a, b, "deepStrictEqual");
    },
    notDeepStrictEqual(a, b, m) {
      if (deepEqual(a, b, true)) fail(m, `Expected "actual" not to be strictly deep-equal to: ${show(b)}`, a, b, "notDeepStrictEqual");
    },
    notDeepEqual(a, b, m) {
      if (deepEqual(a, b, false)) fail(m, `Expected "actual" not to be loosely deep-equal to: ${show(b)}`, a, b, "notDeepEqual");
    },
    match(s, re, m) { if (!re.test(s)) fail(m, `The input did not match the regular expression ${re}. Input:\n\n${show(s)}\n`, s, re, "match"); },
    doesNotMatch(s, re, m) { if (re.test(s)) fail(m, `The input was expected to not match the regular expression ${re}. Input:\n\n${show(s)}\n`, s, re, "doesNotMatch"); },
    throws(fn, expected, m) {
      try { fn(); } catch (e) { return check(e, expected, m); }
      fail(typeof expected === "string" ? expected : m, "Missing expected exception.", undefined, expected, "throws");
    },
    doesNotThrow(fn, m) {
      try { fn(); } catch (e) { fail(m, `Got unwanted exception.\nActual message: "${e && e.message}"`, e, undefined, "doesNotThrow"); }
    },
    async rejects(promise, expected, m) {
      try { await (typeof promise === "function" ? promise() : promise); } catch (e) { return check(e, expected, m); }
      fail(typeof expected === "string" ? expected : m, "Missing expected rejection.", undefined, expected, "rejects");
    },
    async doesNotReject(promise, m) {
      try { await (typeof promise === "function" ? promise() : promise); } catch (e) {
        fail(m, `Got unwanted rejection.\nActual message: "${e && e.message}"`, e, undefined, "doesNotReject");
      }
    },
    ifError(value) { if (value !== null && value !== undefined) throw value; },
    isDeepStrictEqual: (a, b) => deepEqual(a, b, true),
  });

  // What `throws` and `rejects` accept as the expected error: a class, a RegExp, an object of fields, or a check.
  function check(e, expected, m) {
    if (expected === undefined || typeof expected === "string") return;
    if (expected instanceof RegExp) {
      if (!expected.test(String(e && e.message !== undefined ? e : e))) fail(m, `The error message did not match ${expected}`, e, expected, "throws");
    } else if (typeof expected === "function" && expected.prototype !== undefined && e instanceof expected) {
      return;
    } else if (typeof expected === "function" && (expected.prototype === undefined || !(expected.prototype instanceof Error) && expected !== Error)) {
      if (expected(e) !== true) fail(m, "The validation function is expected to return \"true\"", e, expected, "throws");
    } else if (typeof expected === "object") {
      for (const k of Object.keys(expected)) {
        const want = expected[k];
        const got = e[k];
        if (want instanceof RegExp ? !want.test(got) : !deepEqual(got, want, true)) {
          fail(m, differ(got, want, `Expected values to be strictly deep-equal (property ${k}):`), e, expected, "throws");
        }
      }
    } else {
      throw e;
    }
  }

  // assert/strict: the loose checks are the strict ones.
  const strict = (value, message) => ok(value, message);
  Object.assign(strict, assert, { equal: assert.strictEqual, notEqual: assert.notStrictEqual,
                                  deepEqual: assert.deepStrictEqual, notDeepEqual: assert.notDeepStrictEqual });
  assert.strict = strict;
  strict.strict = strict;
  return assert;
})
