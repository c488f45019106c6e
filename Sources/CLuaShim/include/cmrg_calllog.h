// Call logs: host functions implemented in C that check their arguments and record them (with
// the caller's chunk and line) into a log the host reads after the call. They replace a Swift
// host function on the hot path; the Swift function stays as the fallback that raises the
// error when the arguments do not pass the checks. Kept apart from cmrg_lua.h so the sandbox
// core and this feature can change independently.
#ifndef CMRG_CALLLOG_H
#define CMRG_CALLLOG_H

#include <stddef.h>
#include <stdint.h>
#include "cmrg_lua.h"

/// What an argument must be for the fast path (anything else goes to the fallback).
enum cmrg_arg_check {
    CMRG_CHECK_ANY = 0,
    CMRG_CHECK_NOT_NIL = 1,       // present and not nil
    CMRG_CHECK_STRING = 2,        // a string (numbers do not count)
    CMRG_CHECK_FINITE_NUMBER = 3, // an integer, or a float that is neither NaN nor infinite
};

#define CMRG_RECORDER_MAX_CHECKS 4

typedef struct cmrg_recorder_spec {
    int id;                                  // reported in each entry
    int checks[CMRG_RECORDER_MAX_CHECKS];    // enum cmrg_arg_check per argument
    int lean_args;                           // arguments kept in lean detail; -1: no entry at all
    int full_args;                           // arguments kept in full detail
    int returns_arg;                         // 1-based argument returned unchanged; 0: nothing
} cmrg_recorder_spec;

/// One recorded call. Strings of values point into the log (valid until the next reset).
typedef struct cmrg_log_entry {
    int32_t recorder;     // spec id
    int32_t phase;        // entry point running (see cmrg_call_with_record), else -1
    int32_t line;         // caller's line (full detail; 0 when unknown)
    int32_t nargs;        // values recorded for this entry
    uint32_t first;       // index of its first value
    int32_t source_len;   // caller's chunk name length (full detail), -1 when unknown
    uint32_t source;      // arena offset of the chunk name
} cmrg_log_entry;

typedef struct cmrg_log cmrg_log;

/// Creates a log owned by the state (freed when the state closes). Returns NULL on failure.
cmrg_log *cmrg_log_new(lua_State *L);

/// Registers `name` as a recorder into `log`: calls whose arguments pass `spec`'s checks are
/// recorded; others (and calls with more than 16 arguments) are passed to `fallback`, exactly
/// as cmrg_register would call it. Returns CMRG_OK or an error code with the message on top.
int cmrg_register_recorder(lua_State *L, const char *name, cmrg_log *log, const cmrg_recorder_spec *spec,
                           cmrg_host_fn fallback, void *context);

/// Empties the log and sets its detail for the next calls: 0 lean (only `lean_args`, no
/// call site), 1 full (up to `full_args`, with the caller's chunk and line).
void cmrg_log_reset(cmrg_log *log, int full_detail);

/// Bounds what the calls between two resets may record: their string arguments (those full
/// detail keeps) plus 64 bytes a call, in either detail. A call past `bytes` raises an error
/// at its caller's line. 0: no limit. Chunk names are cut to 256 bytes in the log.
void cmrg_log_limit_text(cmrg_log *log, size_t bytes);

/// The recorded entries, and the values (strings resolved to pointers into the log).
int cmrg_log_count(const cmrg_log *log);
const cmrg_log_entry *cmrg_log_entries(const cmrg_log *log);
const cmrg_value *cmrg_log_values(cmrg_log *log);
const char *cmrg_log_bytes(const cmrg_log *log, uint32_t offset);

#endif
