// Line coverage for rule tests (`cmrg test --coverage`). Kept apart from cmrg_lua.h so the
// sandbox core and this feature can change independently.
#ifndef CMRG_COVERAGE_H
#define CMRG_COVERAGE_H

#include <stddef.h>
#include "cmrg_lua.h"

/// Starts recording which lines of which chunks run in this state. Returns CMRG_OK, or an
/// error code with the message on the stack top.
int cmrg_coverage_start(lua_State *L);

/// Re-installs the line hook after cmrg_arm replaced the state's hook: lua_sethook allows one
/// hook per state, so the coverage hook records line events and hands count events on to the
/// budget hook cmrg_arm installed. Does nothing when coverage is off (one registry lookup).
void cmrg_coverage_rearm(lua_State *L);

/// Recorded chunks: how many, then each one's name (without '@'/'=') and its lines, as a
/// byte per line number (1 = ran), valid until the next call into the state.
int cmrg_coverage_count(lua_State *L);
const char *cmrg_coverage_chunk(lua_State *L, int index, const unsigned char **lines, int *line_count);

/// Every line of a text chunk that holds code, over the chunk and all functions nested in it
/// (what a line hook can report). Compiles the text in a scratch state without running it.
/// Returns CMRG_OK with `*lines` (malloc'd, ascending; free with cmrg_free) and `*count`, or an
/// error status with a message copied into `error` (e.g. a syntax error "name:line: ...").
int cmrg_active_lines(const char *text, size_t len, const char *chunkname,
                      int **lines, int *count, char *error, size_t error_size);

void cmrg_free(void *p);

#endif
