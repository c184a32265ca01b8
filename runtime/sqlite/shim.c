/* The SQL guest: SQLite compiled for WASI, driven by the host through exports.
**
** The host (worlds/languages/sql/engine.py) owns the protocol: it opens the
** world's tables once (w_open, a database image it built from the input
** files), then for every run calls w_begin, w_exec per statement and w_end.
** A run's changes live in a savepoint that w_end always rolls back. Functions
** SQLite lacks (other dialects' names, median, regexp, a seeded random) run on
** the host: w_function registers a name whose calls cross to the host import
** worlds_host.call with their arguments encoded as below.
**
** Values cross in one encoding both ways: a tag byte, then
**   0 NULL | 1 INTEGER: 8 bytes little-endian | 2 REAL: 8 bytes IEEE 754
**   3 TEXT: 4-byte length + UTF-8 | 4 BLOB: 4-byte length + bytes.
** Result rows (w_exec) are their cells in that encoding, one after another.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"

#define EXPORT(name) __attribute__((export_name(name)))
#define IMPORT(name) __attribute__((import_module("worlds_host"), import_name(name)))

/* Call host function `id` (kind: 0 scalar, 1 step, 2 final, 3 value, 4 inverse)
** for aggregate state `key` with encoded arguments; returns the length of the
** encoded result, or -(length + 1) of an error message. w_take copies it. */
IMPORT("call") int32_t host_call(int32_t id, int32_t kind, int32_t key, const void *args, int32_t len);
IMPORT("take") void host_take(void *dst);

#define TAG_NULL 0
#define TAG_INT 1
#define TAG_REAL 2
#define TAG_TEXT 3
#define TAG_BLOB 4

static sqlite3 *db;

/* Read by the host straight from memory, even after a trap ended a run. */
static struct {
  int64_t steps;     /* progress calls this run: the run's deterministic work */
  int64_t max_steps; /* the run's budget, in progress calls */
  int32_t statement; /* index of the statement running */
  int32_t guarding;  /* the authorizer's rules apply (inside a run) */
} run;

/* The world's input tables (lower case): a run may read them, never change them. */
static char **inputs;
static int n_inputs;

/* A growable byte buffer: rows of w_exec, arguments of host calls. */
typedef struct { unsigned char *data; size_t len, cap; } Buf;
static Buf rows, args;

static int buf_reserve(Buf *b, size_t more) {
  if (b->len + more <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + more) cap *= 2;
  unsigned char *data = realloc(b->data, cap);
  if (!data) return 0;
  b->data = data;
  b->cap = cap;
  return 1;
}

static int buf_put(Buf *b, const void *p, size_t n) {
  if (!buf_reserve(b, n)) return 0;
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  return 1;
}

static int put_value(Buf *b, int type, sqlite3_int64 i, double r, const void *p, int n) {
  unsigned char tag = (unsigned char)type;
  if (!buf_put(b, &tag, 1)) return 0;
  switch (type) {
    case TAG_INT: return buf_put(b, &i, 8);
    case TAG_REAL: return buf_put(b, &r, 8);
    case TAG_TEXT:
    case TAG_BLOB: {
      uint32_t len = (uint32_t)n;
      return buf_put(b, &len, 4) && buf_put(b, p, (size_t)n);
    }
  }
  return 1;
}

static int put_sqlite_value(Buf *b, sqlite3_value *v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: return put_value(b, TAG_INT, sqlite3_value_int64(v), 0, 0, 0);
    case SQLITE_FLOAT: return put_value(b, TAG_REAL, 0, sqlite3_value_double(v), 0, 0);
    case SQLITE_TEXT: {
      const unsigned char *p = sqlite3_value_text(v);
      return put_value(b, TAG_TEXT, 0, 0, p, sqlite3_value_bytes(v));
    }
    case SQLITE_BLOB: {
      const void *p = sqlite3_value_blob(v);
      return put_value(b, TAG_BLOB, 0, 0, p, sqlite3_value_bytes(v));
    }
  }
  return put_value(b, TAG_NULL, 0, 0, 0, 0);
}

/* -- the run's limits ------------------------------------------------------------- */

static int progress(void *unused) {
  (void)unused;
  run.steps++;
  /* Over budget: SQLite stops the statement cleanly (SQLITE_INTERRUPT). */
  return run.steps >= run.max_steps;
}

static int is_input(const char *table) {
  for (int i = 0; table && i < n_inputs; i++)
    if (sqlite3_stricmp(inputs[i], table) == 0) return 1;
  return 0;
}

static int authorize(void *unused, int action, const char *a1, const char *a2, const char *dbname,
                     const char *trigger) {
  (void)unused;
  (void)trigger;
  if (!run.guarding) return SQLITE_OK;
  switch (action) {
    case SQLITE_ATTACH: case SQLITE_DETACH: case SQLITE_TRANSACTION: case SQLITE_SAVEPOINT:
      return SQLITE_DENY;
    case SQLITE_PRAGMA:
      return a2 ? SQLITE_DENY : SQLITE_OK; /* reading a pragma is fine; setting one is not */
    case SQLITE_FUNCTION:
      return a2 && sqlite3_stricmp(a2, "load_extension") == 0 ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_ALTER_TABLE: /* reports (database, table), unlike the others */
      return a1 && strcmp(a1, "main") == 0 && is_input(a2) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_INSERT: case SQLITE_UPDATE: case SQLITE_DELETE: case SQLITE_DROP_TABLE:
      return dbname && strcmp(dbname, "main") == 0 && is_input(a1) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_CREATE_INDEX: case SQLITE_DROP_INDEX: case SQLITE_CREATE_TRIGGER:
      return dbname && strcmp(dbname, "main") == 0 && is_input(a2) ? SQLITE_DENY : SQLITE_OK;
  }
  return SQLITE_OK;
}

/* -- temporary files in memory ---------------------------------------------------- */

/* The default VFS is the platform one, except that nameless files (sorter runs,
** temporary tables, statement journals) live in memory, in chunks: big sorts
** spill as SQLite designed them to, a growing file never copies itself (SQLite's
** "memdb" files double and copy as they grow, which tripled a 1M-row GROUP
** BY's peak memory), and nothing touches the guest's file system, which is not
** scratch space. Measured: 2.5x faster on a 1M-row GROUP BY than
** PRAGMA temp_store = MEMORY, whose sorter never spills. */
#define CHUNK 65536

typedef struct {
  sqlite3_file base;
  unsigned char **chunks;
  sqlite3_int64 n_chunks, size;
} TempFile;

static int temp_close(sqlite3_file *f) {
  TempFile *t = (TempFile *)f;
  for (sqlite3_int64 i = 0; i < t->n_chunks; i++) free(t->chunks[i]);
  free(t->chunks);
  t->chunks = 0;
  t->n_chunks = t->size = 0;
  return SQLITE_OK;
}

static int temp_read(sqlite3_file *f, void *out, int amount, sqlite3_int64 offset) {
  TempFile *t = (TempFile *)f;
  unsigned char *dst = out;
  sqlite3_int64 end = offset + amount, have = end < t->size ? end : t->size;
  for (sqlite3_int64 at = offset; at < have;) {
    sqlite3_int64 in = at % CHUNK, n = CHUNK - in < have - at ? CHUNK - in : have - at;
    memcpy(dst + (at - offset), t->chunks[at / CHUNK] + in, (size_t)n);
    at += n;
  }
  if (have >= end) return SQLITE_OK;
  memset(dst + (have > offset ? have - offset : 0), 0, (size_t)(end - (have > offset ? have : offset)));
  return SQLITE_IOERR_SHORT_READ;
}

static int temp_write(sqlite3_file *f, const void *in, int amount, sqlite3_int64 offset) {
  TempFile *t = (TempFile *)f;
  sqlite3_int64 end = offset + amount, need = (end + CHUNK - 1) / CHUNK;
  if (need > t->n_chunks) {
    unsigned char **chunks = realloc(t->chunks, sizeof(*chunks) * (size_t)need);
    if (!chunks) return SQLITE_IOERR_NOMEM;
    t->chunks = chunks;
    while (t->n_chunks < need) {
      if (!(chunks[t->n_chunks] = calloc(1, CHUNK))) return SQLITE_IOERR_NOMEM;
      t->n_chunks++;
    }
  }
  const unsigned char *src = in;
  for (sqlite3_int64 at = offset; at < end;) {
    sqlite3_int64 off = at % CHUNK, n = CHUNK - off < end - at ? CHUNK - off : end - at;
    memcpy(t->chunks[at / CHUNK] + off, src + (at - offset), (size_t)n);
    at += n;
  }
  if (end > t->size) t->size = end;
  return SQLITE_OK;
}

static int temp_truncate(sqlite3_file *f, sqlite3_int64 size) {
  TempFile *t = (TempFile *)f;
  sqlite3_int64 keep = (size + CHUNK - 1) / CHUNK;
  while (t->n_chunks > keep) free(t->chunks[--t->n_chunks]);
  if (size < t->size) {
    /* zero the cut tail of the last chunk: a later write past it leaves a hole that reads as zeros */
    if (size % CHUNK) memset(t->chunks[keep - 1] + size % CHUNK, 0, (size_t)(CHUNK - size % CHUNK));
    t->size = size;
  }
  return SQLITE_OK;
}

static int temp_size(sqlite3_file *f, sqlite3_int64 *size) {
  *size = ((TempFile *)f)->size;
  return SQLITE_OK;
}

static int temp_ok(sqlite3_file *f, int unused) { (void)f; (void)unused; return SQLITE_OK; }
static int temp_sync(sqlite3_file *f, int flags) { (void)f; (void)flags; return SQLITE_OK; }
static int temp_reserved(sqlite3_file *f, int *out) { (void)f; *out = 0; return SQLITE_OK; }
static int temp_control(sqlite3_file *f, int op, void *arg) { (void)f; (void)op; (void)arg; return SQLITE_NOTFOUND; }
static int temp_sector(sqlite3_file *f) { (void)f; return 4096; }
static int temp_device(sqlite3_file *f) { (void)f; return 0; }

static const sqlite3_io_methods temp_methods = {
  1, temp_close, temp_read, temp_write, temp_truncate, temp_sync, temp_size,
  temp_ok, temp_ok, temp_reserved, temp_control, temp_sector, temp_device,
};

static sqlite3_vfs *base_vfs, temp_vfs;

static int temp_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out) {
  (void)vfs;
  if (name) return base_vfs->xOpen(base_vfs, name, file, flags, out);
  TempFile *t = (TempFile *)file;
  memset(t, 0, sizeof(*t));
  t->base.pMethods = &temp_methods;
  if (out) *out = flags;
  return SQLITE_OK;
}

/* -- host functions --------------------------------------------------------------- */

static void result_from_host(sqlite3_context *ctx, int32_t n) {
  if (n < 0) {
    int size = -n - 1;
    char *message = sqlite3_malloc(size + 1);
    if (!message) { sqlite3_result_error_nomem(ctx); return; }
    host_take(message);
    message[size] = 0;
    sqlite3_result_error(ctx, message, size);
    sqlite3_free(message);
    return;
  }
  unsigned char *p = sqlite3_malloc(n ? n : 1);
  if (!p) { sqlite3_result_error_nomem(ctx); return; }
  host_take(p);
  uint32_t len = 0;
  sqlite3_int64 i;
  double r;
  switch (n ? p[0] : TAG_NULL) {
    case TAG_INT: memcpy(&i, p + 1, 8); sqlite3_result_int64(ctx, i); break;
    case TAG_REAL: memcpy(&r, p + 1, 8); sqlite3_result_double(ctx, r); break;
    case TAG_TEXT: memcpy(&len, p + 1, 4); sqlite3_result_text(ctx, (char *)p + 5, len, SQLITE_TRANSIENT); break;
    case TAG_BLOB: memcpy(&len, p + 1, 4); sqlite3_result_blob(ctx, p + 5, len, SQLITE_TRANSIENT); break;
    default: sqlite3_result_null(ctx);
  }
  sqlite3_free(p);
}

#define NOMEM INT32_MIN

/* Encode the arguments and call the host: the length of its answer (negative: an
** error message's), or NOMEM. */
static int32_t ask(sqlite3_context *ctx, int kind, int32_t key, int argc, sqlite3_value **argv) {
  args.len = 0;
  for (int i = 0; i < argc; i++)
    if (!put_sqlite_value(&args, argv[i])) return NOMEM;
  return host_call((int32_t)(intptr_t)sqlite3_user_data(ctx), kind, key, args.data, (int32_t)args.len);
}

/* A call whose answer is the function's result. */
static void call(sqlite3_context *ctx, int kind, int32_t key, int argc, sqlite3_value **argv) {
  int32_t got = ask(ctx, kind, key, argc, argv);
  if (got == NOMEM) sqlite3_result_error_nomem(ctx);
  else result_from_host(ctx, got);
}

/* An aggregate's state lives on the host, keyed by the address SQLite gives
** the group; 0 for a group that saw no rows. */
static int32_t group_key(sqlite3_context *ctx, int create) {
  return (int32_t)(intptr_t)sqlite3_aggregate_context(ctx, create ? 8 : 0);
}

/* An aggregate's step or inverse: only an error in the answer counts. */
static void update(sqlite3_context *ctx, int kind, int argc, sqlite3_value **argv) {
  int32_t key = group_key(ctx, 1), got = key ? ask(ctx, kind, key, argc, argv) : NOMEM;
  if (got == NOMEM) sqlite3_result_error_nomem(ctx);
  else if (got < 0) result_from_host(ctx, got);
  else if (got > 0) { unsigned char *p = sqlite3_malloc(got); if (p) { host_take(p); sqlite3_free(p); } }
}

static void x_scalar(sqlite3_context *c, int n, sqlite3_value **v) { call(c, 0, 0, n, v); }
static void x_step(sqlite3_context *c, int n, sqlite3_value **v) { update(c, 1, n, v); }
static void x_final(sqlite3_context *c) { call(c, 2, group_key(c, 0), 0, 0); }
static void x_value(sqlite3_context *c) { call(c, 3, group_key(c, 0), 0, 0); }
static void x_inverse(sqlite3_context *c, int n, sqlite3_value **v) { update(c, 4, n, v); }

/* Register host function `id` as `name` with `nargs` arguments (-1: any number).
** kind: 0 scalar (deterministic), 1 aggregate, 2 window aggregate, 3 scalar that
** is not deterministic (random). Returns SQLite's result code. */
EXPORT("w_function") int w_function(const char *name, int nargs, int kind, int id) {
  void *data = (void *)(intptr_t)id;
  int utf8 = SQLITE_UTF8;
  switch (kind) {
    case 0: return sqlite3_create_function_v2(db, name, nargs, utf8 | SQLITE_DETERMINISTIC, data, x_scalar, 0, 0, 0);
    case 1: return sqlite3_create_function_v2(db, name, nargs, utf8, data, 0, x_step, x_final, 0);
    case 2: return sqlite3_create_window_function(db, name, nargs, utf8, data, x_step, x_final, x_value, x_inverse, 0);
    default: return sqlite3_create_function_v2(db, name, nargs, utf8, data, x_scalar, 0, 0, 0);
  }
}

/* -- the host's entry points ------------------------------------------------------ */

/* Longest string or blob a query may build (SQLite's default is 1 GB). */
#define MAX_LENGTH 8000000

/* Start SQLite with no tables yet; `step` VM instructions per progress call. */
EXPORT("w_init") int w_init(int step) {
  int rc = sqlite3_initialize();
  if (rc != SQLITE_OK) return rc;
  base_vfs = sqlite3_vfs_find(0);
  if (!base_vfs) return SQLITE_ERROR;
  temp_vfs = *base_vfs;
  temp_vfs.zName = "worlds-temp";
  temp_vfs.pNext = 0;
  if ((int)sizeof(TempFile) > temp_vfs.szOsFile) temp_vfs.szOsFile = sizeof(TempFile);
  temp_vfs.xOpen = temp_open;
  if ((rc = sqlite3_vfs_register(&temp_vfs, 1)) != SQLITE_OK) return rc;
  if ((rc = sqlite3_open(":memory:", &db)) != SQLITE_OK) return rc;
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, MAX_LENGTH);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_progress_handler(db, step, progress, 0);
  sqlite3_set_authorizer(db, authorize, 0);
  run.max_steps = INT64_MAX;
  return SQLITE_OK;
}

/* Memory for the database image, which SQLite frees (plain malloc and free are exported too). */
EXPORT("w_alloc") void *w_alloc(int size) { return sqlite3_malloc(size > 0 ? size : 1); }
EXPORT("w_run_state") void *w_run_state(void) { return &run; }
EXPORT("w_rows") void *w_rows(void) { return rows.data; }
EXPORT("w_rows_len") int w_rows_len(void) { return (int)rows.len; }
EXPORT("w_errmsg") const char *w_errmsg(void) { return sqlite3_errmsg(db); }
EXPORT("w_errcode") int w_errcode(void) { return sqlite3_extended_errcode(db); }

/* Take the world's tables: `image` (from w_alloc) is a database file of `size`
** bytes, used in place. Returns the number of tables, or -(result code). */
EXPORT("w_open") int w_open(unsigned char *image, int size) {
  if (size > 0) {
    int rc = sqlite3_deserialize(db, "main", image, size, size,
                                 SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
    if (rc != SQLITE_OK) return -rc;
  }
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, "SELECT lower(name) FROM sqlite_master WHERE type = 'table'", -1, &st, 0))
    return -sqlite3_errcode(db);
  n_inputs = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    inputs = realloc(inputs, sizeof(char *) * (n_inputs + 1));
    inputs[n_inputs++] = strdup((const char *)sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return n_inputs;
}

/* Open a run: a savepoint, the authorizer's rules and a budget of `max_steps` progress calls. */
EXPORT("w_begin") int w_begin(int64_t max_steps) {
  run.steps = 0;
  run.statement = 0;
  run.max_steps = INT64_MAX;
  int rc = sqlite3_exec(db, "SAVEPOINT run", 0, 0, 0);
  run.max_steps = max_steps;
  run.guarding = 1;
  return rc;
}

/* Close the run: every change it made is rolled back. */
EXPORT("w_end") int w_end(void) {
  run.max_steps = INT64_MAX; /* rolling back must never be interrupted */
  run.guarding = 0;
  int rc = sqlite3_exec(db, "ROLLBACK TO run", 0, 0, 0);
  int rc2 = sqlite3_exec(db, "RELEASE run", 0, 0, 0);
  return rc ? rc : rc2;
}

/* Lift the step budget (explaining a statement that ran out is not the run's work). */
EXPORT("w_unbudget") void w_unbudget(void) { run.max_steps = INT64_MAX; }

static int only_space(const char *p) {
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') p++;
    if (p[0] == '-' && p[1] == '-') { while (*p && *p != '\n') p++; continue; }
    if (p[0] == '/' && p[1] == '*') {
      const char *end = strstr(p + 2, "*/");
      if (!end) return 1;
      p = end + 2;
      continue;
    }
    return *p == 0;
  }
}

/* Results of the statement w_exec ran. */
static struct {
  int32_t columns; /* -1: the statement returns no rows */
  int32_t kept;    /* rows encoded in `rows` */
  int64_t total;   /* rows it returned in all */
  int64_t changed; /* sqlite3_changes() after it, when it returns no rows */
} result;

EXPORT("w_result") void *w_result(void) { return &result; }

/* Run statement `index` of the run, NUL-terminated `sql`: encode its first
** `max_rows` rows (fewer once they pass `max_bytes`) and count them all.
** Returns SQLite's result code; column names are in `rows` first when the
** statement returns rows (as TEXT cells). */
EXPORT("w_exec") int w_exec(int index, const char *sql, int max_rows, int max_bytes) {
  sqlite3_stmt *st = 0;
  const char *tail = 0;
  run.statement = index;
  rows.len = 0;
  result.columns = -1;
  result.kept = 0;
  result.total = 0;
  result.changed = -1;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
  if (rc != SQLITE_OK) return rc;
  if (tail && !only_space(tail)) {
    sqlite3_finalize(st);
    return -1; /* the host says: one statement at a time */
  }
  if (!st) return SQLITE_OK; /* only a comment */
  int ncol = sqlite3_column_count(st);
  if (ncol > 0) {
    result.columns = ncol;
    for (int i = 0; i < ncol; i++) {
      const char *name = sqlite3_column_name(st, i);
      if (!put_value(&rows, TAG_TEXT, 0, 0, name ? name : "", name ? (int)strlen(name) : 0)) {
        sqlite3_finalize(st);
        return SQLITE_NOMEM;
      }
    }
  }
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    result.total++;
    if (result.kept >= max_rows || rows.len >= (size_t)max_bytes) continue;
    for (int i = 0; i < ncol; i++) {
      int ok;
      switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER: ok = put_value(&rows, TAG_INT, sqlite3_column_int64(st, i), 0, 0, 0); break;
        case SQLITE_FLOAT: ok = put_value(&rows, TAG_REAL, 0, sqlite3_column_double(st, i), 0, 0); break;
        case SQLITE_TEXT: {
          const unsigned char *p = sqlite3_column_text(st, i);
          ok = put_value(&rows, TAG_TEXT, 0, 0, p, sqlite3_column_bytes(st, i));
          break;
        }
        case SQLITE_BLOB: {
          const void *p = sqlite3_column_blob(st, i);
          ok = put_value(&rows, TAG_BLOB, 0, 0, p, sqlite3_column_bytes(st, i));
          break;
        }
        default: ok = put_value(&rows, TAG_NULL, 0, 0, 0, 0);
      }
      if (!ok) { sqlite3_finalize(st); return SQLITE_NOMEM; }
    }
    result.kept++;
  }
  /* The host counts it only for INSERT, UPDATE, DELETE and REPLACE, as Python's sqlite3 does. */
  if (ncol == 0 && rc == SQLITE_DONE) result.changed = sqlite3_changes(db);
  /* finalize returns the statement's error (with its message kept in the connection) */
  int done = sqlite3_finalize(st);
  return rc == SQLITE_DONE ? SQLITE_OK : (done ? done : rc);
}

/* -- loading a plain CSV ---------------------------------------------------------- */

/* The common export, read here rather than on the host (a 1M-row file in a
** fraction of the time): ASCII, no quotes, no NUL, line ends "\n" or "\r\n",
** blank lines skipped, every row as wide as the header, an empty cell NULL.
** The host checked the bytes and reads every other file itself. Types follow
** the host's rules exactly (worlds/languages/sql/schema.py): INTEGER when every
** cell, stripped, is an integer under 19 characters without a leading zero;
** REAL when every one reads as a number; else TEXT. */

typedef struct {
  int64_t rows, nulls, numbers; /* numbers: cells that read as REAL (a TEXT column's share) */
  int64_t last_int;             /* the last cell's value, while the column is rising */
  double last_real;
  int32_t first_ok;             /* the first cell reads as digits (signs aside) or as a REAL */
  int32_t digits, ints, reals;  /* every cell so far: digits (signs aside); an INTEGER; a REAL */
  int32_t dates;                /* every cell starts with dddd-dd-dd */
  int32_t unique;               /* set by w_csv_insert: every row has its own value */
  int32_t type;                 /* set by the host: 1 INTEGER, 2 REAL, 3 TEXT */
  int32_t rising_int, rising_real; /* every value above the one before (an id): unique, no hashing */
  int32_t rows_seen;            /* a value was seen (rising compares with it) */
} Facts;

typedef struct { const char *at, *end; } Cursor;

/* The next non-blank line, without its line end; 0 at the end. */
static int next_line(Cursor *c, const char **start, const char **stop) {
  while (c->at < c->end) {
    const char *nl = memchr(c->at, '\n', (size_t)(c->end - c->at));
    const char *e = nl ? nl : c->end;
    const char *s = c->at;
    c->at = nl ? nl + 1 : c->end;
    if (e > s && e[-1] == '\r') e--;
    if (e > s) { *start = s; *stop = e; return 1; }
  }
  return 0;
}

static int is_space(char ch) { /* the ASCII spaces Python's int() and float() accept around a number */
  return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }

static void strip(const char **s, const char **e) {
  for (const char *p = *s; p < *e; p++)
    if (*p >= 0x1c && *p <= 0x1f) return; /* str.strip() would take these, int() would not: not a number */
  while (*s < *e && is_space(**s)) (*s)++;
  while (*e > *s && is_space((*e)[-1])) (*e)--;
}

static int digitish(const char *s, const char *e) { /* c.lstrip("+-").isdigit() */
  while (s < e && (*s == '+' || *s == '-')) s++;
  if (s == e) return 0;
  for (; s < e; s++) if (!is_digit(*s)) return 0;
  return 1;
}

static int integer(const char *s, const char *e) { /* ^[+-]?(0|[1-9][0-9]*)$, under 19 chars */
  if (e - s >= 19) return 0;
  if (s < e && (*s == '+' || *s == '-')) s++;
  if (s == e) return 0;
  if (*s == '0') return s + 1 == e;
  for (; s < e; s++) if (!is_digit(*s)) return 0;
  return 1;
}

static int real(const char *s, const char *e) { /* ^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$ */
  if (s < e && (*s == '+' || *s == '-')) s++;
  const char *d = s;
  while (s < e && is_digit(*s)) s++;
  if (s > d) {
    if (s < e && *s == '.') { s++; while (s < e && is_digit(*s)) s++; }
  } else {
    if (s >= e || *s != '.') return 0;
    s++;
    d = s;
    while (s < e && is_digit(*s)) s++;
    if (s == d) return 0;
  }
  if (s < e && (*s == 'e' || *s == 'E')) {
    s++;
    if (s < e && (*s == '+' || *s == '-')) s++;
    d = s;
    while (s < e && is_digit(*s)) s++;
    if (s == d) return 0;
  }
  return s == e;
}

static int date_start(const char *s, const char *e) { /* ^\d{4}-\d{2}-\d{2} */
  static const char shape[] = "dddd-dd-dd";
  if (e - s < 10) return 0;
  for (int i = 0; i < 10; i++)
    if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != '-') return 0;
  return 1;
}

/* An INTEGER cell's value (it has under 19 digits: no overflow). */
static sqlite3_int64 to_int(const char *s, const char *e) {
  int negative = s < e && *s == '-';
  if (s < e && (*s == '+' || *s == '-')) s++;
  sqlite3_int64 v = 0;
  for (; s < e; s++) v = v * 10 + (*s - '0');
  return negative ? -v : v;
}

/* A REAL cell's value, correctly rounded as Python's float() rounds it. Short
** numbers take the exact fast path (a mantissa under 2^53 times or over a power
** of ten up to 1e22: both exact, so one rounding, the right one); the rest go
** to strtod, which is correct but slow (1.2 s of a 1M-row load took it). */
static double to_real(const char *s, const char *e) {
  static const double tens[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char *p = s;
  int negative = p < e && *p == '-';
  if (p < e && (*p == '+' || *p == '-')) p++;
  uint64_t m = 0;
  int digits = 0, scale = 0, exponent = 0;
  for (; p < e && is_digit(*p); p++)
    if (m || *p != '0') { if (++digits > 19) goto slow; m = m * 10 + (uint64_t)(*p - '0'); }
  if (p < e && *p == '.')
    for (p++; p < e && is_digit(*p); p++, scale++)
      if (m || *p != '0') { if (++digits > 19) goto slow; m = m * 10 + (uint64_t)(*p - '0'); }
  if (p < e && (*p == 'e' || *p == 'E')) {
    p++;
    int minus = p < e && *p == '-';
    if (p < e && (*p == '+' || *p == '-')) p++;
    for (; p < e && is_digit(*p); p++) { if (exponent > 10000) goto slow; exponent = exponent * 10 + (*p - '0'); }
    if (minus) exponent = -exponent;
  }
  exponent -= scale;
  if (m > (1ull << 53) || exponent < -22 || exponent > 22) goto slow;
  double v = exponent < 0 ? (double)m / tens[-exponent] : (double)m * tens[exponent];
  return negative ? -v : v;
slow:;
  size_t n = (size_t)(e - s);
  char small[64], *text = n < sizeof small ? small : malloc(n + 1);
  if (!text) return 0;
  memcpy(text, s, n);
  text[n] = 0;
  double v2 = strtod(text, 0);
  if (text != small) free(text);
  return v2;
}

/* Split a line into its `ncols` cells; 0 if it has another width. */
static int split(const char *s, const char *e, char delimiter, int ncols, const char **cells) {
  int n = 0;
  cells[n++] = s;
  for (const char *p = s; p < e; p++) {
    if (*p == delimiter) {
      if (n >= ncols) return 0;
      cells[n++] = p + 1;
    }
  }
  cells[n] = e + 1; /* one past the end, as if a delimiter followed */
  return n == ncols;
}

/* Read the facts of every column of `data` (the file's bytes after its header).
** Returns the number of rows, or -1 if a row's width differs from the header's. */
EXPORT("w_csv_scan") int64_t w_csv_scan(const char *data, int size, int delimiter, int ncols, Facts *facts) {
  const char **cells = malloc(sizeof(char *) * (size_t)(ncols + 1));
  if (!cells) return -2;
  for (int i = 0; i < ncols; i++) {
    memset(&facts[i], 0, sizeof(Facts));
    facts[i].digits = facts[i].ints = facts[i].reals = facts[i].dates = 1;
    facts[i].rising_int = facts[i].rising_real = 1;
    facts[i].first_ok = -1;
  }
  Cursor c = {data, data + size};
  const char *s, *e;
  int64_t rows = 0;
  while (next_line(&c, &s, &e)) {
    if (!split(s, e, (char)delimiter, ncols, cells)) { free(cells); return -1; }
    rows++;
    for (int i = 0; i < ncols; i++) {
      Facts *f = &facts[i];
      const char *a = cells[i], *b = cells[i + 1] - 1;
      if (a == b) { f->nulls++; continue; }
      if (f->dates && !date_start(a, b)) f->dates = 0;
      strip(&a, &b);
      int is_real = real(a, b);
      f->numbers += is_real;
      int is_digits = digitish(a, b);
      if (f->first_ok < 0) f->first_ok = is_digits || is_real;
      if (f->digits && !is_digits) f->digits = 0;
      if (f->ints && !integer(a, b)) f->ints = 0;
      if (!is_real) f->reals = 0;
      if (f->rising_int) {
        sqlite3_int64 v = f->ints ? to_int(a, b) : 0;
        f->rising_int = f->ints && (f->rows_seen == 0 || v > f->last_int);
        f->last_int = v;
      }
      if (f->rising_real) {
        double v = f->reals ? to_real(a, b) : 0;
        f->rising_real = f->reals && (f->rows_seen == 0 || v > f->last_real);
        f->last_real = v;
      }
      f->rows_seen = 1;
    }
  }
  for (int i = 0; i < ncols; i++) facts[i].rows = rows;
  free(cells);
  return rows;
}

/* -- uniqueness: an open-addressing set of a column's values -- */

typedef struct { uint64_t hash; const char *s; int32_t n; int32_t used; } Slot;

static uint64_t hash_bytes(const char *s, size_t n) { /* FNV-1a */
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 1099511628211ull; }
  return h;
}

static uint64_t mix(uint64_t x) { /* splitmix64's finalizer: spreads numeric keys */
  x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27; x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/* Whether `key` (numbers: s == 0, n holds nothing, hash is the value's bits) was there; adds it. */
static int seen(Slot *set, uint64_t mask, uint64_t key, const char *s, int32_t n) {
  uint64_t h = s ? key : mix(key);
  for (uint64_t i = h & mask;; i = (i + 1) & mask) {
    Slot *slot = &set[i];
    if (!slot->used) { slot->used = 1; slot->hash = key; slot->s = s; slot->n = n; return 0; }
    if (slot->hash == key && (!s || (slot->n == n && memcmp(slot->s, s, (size_t)n) == 0))) return 1;
  }
}

/* Insert every row of `data` with `insert` (INSERT INTO t VALUES (?, ...)), each cell
** as its column's type (facts[i].type), and set facts[i].unique. Returns SQLite's code. */
EXPORT("w_csv_insert") int w_csv_insert(const char *data, int size, int delimiter, int ncols, Facts *facts,
                                        const char *insert) {
  const char **cells = malloc(sizeof(char *) * (size_t)(ncols + 1));
  if (!cells) return SQLITE_NOMEM;
  sqlite3_stmt *st = 0;
  int rc = sqlite3_exec(db, "BEGIN", 0, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, insert, -1, &st, 0);
  Cursor c = {data, data + size};
  const char *s, *e;
  while (rc == SQLITE_OK && next_line(&c, &s, &e)) {
    split(s, e, (char)delimiter, ncols, cells);
    for (int i = 0; i < ncols && rc == SQLITE_OK; i++) {
      const char *a = cells[i], *b = cells[i + 1] - 1;
      if (a == b) { rc = sqlite3_bind_null(st, i + 1); continue; }
      if (facts[i].type == 3) { rc = sqlite3_bind_text(st, i + 1, a, (int)(b - a), SQLITE_STATIC); continue; }
      strip(&a, &b);
      rc = facts[i].type == 1 ? sqlite3_bind_int64(st, i + 1, to_int(a, b))
                              : sqlite3_bind_double(st, i + 1, to_real(a, b));
    }
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_DONE) rc = sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  rc = rc == SQLITE_OK ? sqlite3_exec(db, "COMMIT", 0, 0, 0) : rc;
  if (rc != SQLITE_OK) { sqlite3_exec(db, "ROLLBACK", 0, 0, 0); free(cells); return rc; }

  /* Unique: no NULL and no value twice, values compared as their type compares them. */
  int64_t rows = ncols ? facts[0].rows : 0;
  uint64_t cap = 16;
  while (cap < (uint64_t)rows * 2) cap <<= 1;
  Slot *set = 0;
  for (int i = 0; i < ncols; i++) {
    facts[i].unique = 0;
    if (rows == 0 || facts[i].nulls) continue;
    if ((facts[i].type == 1 && facts[i].rising_int) || (facts[i].type == 2 && facts[i].rising_real)) {
      facts[i].unique = 1;
      continue;
    }
    if (!set && !(set = malloc(sizeof(Slot) * cap))) { free(cells); return SQLITE_NOMEM; }
    memset(set, 0, sizeof(Slot) * cap);
    int unique = 1;
    c.at = data;
    while (unique && next_line(&c, &s, &e)) {
      split(s, e, (char)delimiter, ncols, cells);
      const char *a = cells[i], *b = cells[i + 1] - 1;
      if (facts[i].type == 3) { unique = !seen(set, cap - 1, hash_bytes(a, (size_t)(b - a)), a, (int32_t)(b - a)); continue; }
      strip(&a, &b);
      uint64_t key;
      if (facts[i].type == 1) {
        key = (uint64_t)to_int(a, b);
      } else {
        double v = to_real(a, b);
        if (v == 0) v = 0; /* -0.0 and 0.0 are one value */
        memcpy(&key, &v, 8);
      }
      unique = !seen(set, cap - 1, key, 0, 0);
    }
    facts[i].unique = unique;
  }
  free(set);
  free(cells);
  return SQLITE_OK;
}

/* The database as one image (for the host to keep and to cache); its size at *size. */
EXPORT("w_serialize") unsigned char *w_serialize(sqlite3_int64 *size) {
  return sqlite3_serialize(db, "main", size, 0);
}
