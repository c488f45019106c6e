// Error text: where an error was raised (a message handler for ordinary errors, the
// allocator's note for memory errors, which run no handler), and a bounded, readable message
// for any error object, made without running any of its code.
#include "cmrg_internal.h"

#include <stdio.h>
#include <string.h>

/* Notes the innermost Lua frame's chunk and line (runs no Lua code, allocates nothing). */
void cmrg_note_where(lua_State *L, char src[LUA_IDSIZE], int *line) {
    lua_Debug ar;
    src[0] = 0;
    *line = 0;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            snprintf(src, LUA_IDSIZE, "%s", ar.short_src);
            *line = ar.currentline;
            break;
        }
    }
}

/* Message handler: remembers where the innermost Lua frame was, for error objects that
   carry no position (tables, errors raised with level 0). Runs no Lua code. */
int cmrg_remember_where(lua_State *L) {
    cmrg_extra *x = cmrg_extra_of(L);
    cmrg_note_where(L, x->where_src, &x->where_line);
    return 1; /* the error object unchanged */
}

const char *cmrg_error_where(lua_State *L, int *line) {
    cmrg_extra *x = cmrg_extra_of(L);
    *line = x->where_line;
    return x->where_src[0] ? x->where_src : NULL;
}

const char *cmrg_refused_where(lua_State *L, int *line) {
    cmrg_extra *x = cmrg_extra_of(L);
    *line = x->refused_line;
    return x->refused_src[0] ? x->refused_src : NULL;
}

void cmrg_clear_where(lua_State *L) {
    cmrg_extra *x = cmrg_extra_of(L);
    x->where_src[0] = 0;
    x->where_line = 0;
    x->refused_src[0] = 0;
    x->refused_line = 0;
    x->refused = 0;
}

const char *cmrg_error_message(lua_State *L, size_t *len) {
    cmrg_extra *x = cmrg_extra_of(L);
    int t = lua_type(L, -1);
    const char *s = NULL;
    size_t n = 0;
    if (t == LUA_TSTRING) {
        s = lua_tolstring(L, -1, &n);
    } else if (t == LUA_TNUMBER) {
        /* format without lua_tostring (which could allocate and raise) */
        if (lua_isinteger(L, -1)) snprintf(x->message, MAX_MESSAGE, "%lld", (long long)lua_tointeger(L, -1));
        else snprintf(x->message, MAX_MESSAGE, "%.14g", (double)lua_tonumber(L, -1));
        n = strlen(x->message);
    } else if (t == LUA_TNONE || t == LUA_TNIL) {
        snprintf(x->message, MAX_MESSAGE, "error with no message (nil)");
        n = strlen(x->message);
    } else {
        /* A table or other object: never call its __tostring (it may fail or loop). */
        const char *name = lua_typename(L, t);
        const char *msg = NULL;
        if (t == LUA_TTABLE) {
            /* error{message="..."}: use a plain string field if there is one (raw access) */
            lua_pushliteral(L, "message");
            if (lua_rawget(L, -2) == LUA_TSTRING) msg = lua_tostring(L, -1);
            if (msg) snprintf(x->message, MAX_MESSAGE, "%s", msg);
            lua_pop(L, 1);
        }
        if (!msg) snprintf(x->message, MAX_MESSAGE, "error object is a %s value", name);
        n = strlen(x->message);
    }
    if (s) {
        if (n > MAX_MESSAGE) {
            memcpy(x->message, s, MAX_MESSAGE);
            memcpy(x->message + MAX_MESSAGE, "... (message cut)", 18);
            n = MAX_MESSAGE + 17;
        } else {
            memcpy(x->message, s, n);
            x->message[n] = 0;
        }
    }
    if (lua_gettop(L) > 0) lua_pop(L, 1);
    *len = n;
    return x->message;
}
