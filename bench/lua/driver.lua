-- Standalone baseline for the benchmark: the same rule pack run by a plain Lua interpreter
-- over the same canonical CSV, with a minimal CSV parser in Lua. This is the interpreter
-- floor cmrg is compared against (bench/run). Runs on lua5.4 and on LuaJIT.
--   lua5.4 bench/lua/driver.lua RULES_DIR PORTFOLIO.csv AS_OF(YYYY-MM-DD) > out.csv
-- Output: "id,tier,score" per contract in input order (score with %.14g).
--
-- What it does per contract, like cmrg: one table `c` with the canonical fields typed (money
-- as floats, scores as integers, dates as strings, blanks absent) and `c.extra`; tier(c) and
-- score(c) called; because() keeps the text and factor() keeps name, points and text (cmrg
-- keeps those too, plus rule file:line). What it leaves out, and cmrg does not: validation
-- of every field, a read-only `c`, instruction/time/memory limits, rule locations, ranking
-- and the top-factor columns. So cmrg at 1.0x this driver does strictly more work.
local rules_dir, portfolio, as_of_text = arg[1], arg[2], arg[3]
local is54 = _VERSION == "Lua 5.4" and not jit

-- ---- host functions, as cmrg provides them --------------------------------------------
local reasons, factors = {}, {}
function because(text)
  if text == nil then error("because(text): text is missing", 2) end
  reasons[#reasons + 1] = tostring(text)
end
function factor(name, points, text)
  if type(name) ~= "string" then error("factor(name, points, text): name must be a string", 2) end
  factors[#factors + 1] = { name = name, points = points, text = text ~= nil and tostring(text) or "" }
  return points
end

-- ---- the prelude: Sources/RuleEngine/Prelude.swift, verbatim on 5.4 ---------------------
-- (LuaJIT has no // operator or math.tointeger: same arithmetic with math.floor there.)
local prelude = [[
local AS_OF = ...
local match, tointeger = string.match, math.tointeger
local function day_number(date, what)
  if date == nil then return nil end
  local y, m, d = match(date, "^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then error((what or "date") .. " '" .. tostring(date) .. "' is not a date (YYYY-MM-DD)", 3) end
  y, m, d = tointeger(y), tointeger(m), tointeger(d)
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = (153 * mp + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end
local AS_OF_DAY = day_number(AS_OF)
function as_of() return AS_OF end
function days_until(date)
  local n = day_number(date)
  return n and n - AS_OF_DAY
end
function months_until(date)
  local n = day_number(date)
  return n and (n - AS_OF_DAY) / 30.436875
end
function money(v)
  if v == nil then return "unknown" end
  local whole = string.format("%.0f", math.abs(v))
  local grouped = whole:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return (v < 0 and "-£" or "£") .. grouped
end
function days_between(a, b)
  local x, y = day_number(a), day_number(b)
  return x and y and y - x
end
]]
if not is54 then
  prelude = prelude:gsub("local match, tointeger = string.match, math.tointeger",
                         "local match, tointeger, floor = string.match, tonumber, math.floor")
                   :gsub("([%w_]+) // (%d+)", "floor(%1 / %2)")
                   :gsub("%(153 %* mp %+ 2%) // 5", "floor((153 * mp + 2) / 5)")
end
assert(load(prelude, "=(prelude)"))(as_of_text)

-- ---- load the pack in file-name order (skipping *.d.lua definitions) -------------------
local names = {}
for name in io.popen('ls "' .. rules_dir .. '"'):lines() do
  if name:match("%.lua$") and not name:match("%.d%.lua$") then names[#names + 1] = name end
end
table.sort(names)
for _, name in ipairs(names) do assert(loadfile(rules_dir .. "/" .. name))() end

-- ---- CSV ----------------------------------------------------------------------------
local numeric = { value_total = true, value_annual = true }
local integer = { risk = true, complexity = true, strategic_importance = true }
local canonical = {}
for _, name in ipairs({ "id", "title", "supplier", "directorate", "lead_officer", "category",
  "value_total", "value_annual", "start_date", "end_date", "max_end_date", "risk", "complexity",
  "strategic_importance", "member_suggested", "audit_planned" }) do canonical[name] = true end

local find, sub = string.find, string.sub
local function split(line)
  -- RFC 4180 fields within one line (generated data has no embedded line breaks)
  local fields, i, n = {}, 1, #line
  while i <= n + 1 do
    if sub(line, i, i) == '"' then
      local buf, j = {}, i + 1
      while true do
        local q = find(line, '"', j, true)
        buf[#buf + 1] = sub(line, j, q - 1)
        if sub(line, q + 1, q + 1) == '"' then buf[#buf + 1] = '"'; j = q + 2
        else i = q + 2; break end
      end
      fields[#fields + 1] = table.concat(buf)
    else
      local c = find(line, ",", i, true) or n + 1
      fields[#fields + 1] = sub(line, i, c - 1)
      i = c + 1
    end
  end
  return fields
end

local lines = io.lines(portfolio)
local header = split(lines())
local out = {}
io.write("id,tier,score\n")
local count = 0
for line in lines do
  if line:sub(-1) == "\r" then line = line:sub(1, -2) end
  if line ~= "" then
    local f = split(line)
    local c = { extra = {} }
    for k = 1, #header do
      local name, v = header[k], f[k]
      if v ~= nil and v ~= "" then
        if numeric[name] then c[name] = tonumber(v) + 0.0
        elseif integer[name] then c[name] = math.floor(tonumber(v))
        elseif canonical[name] then c[name] = v
        else c.extra[name] = v end
      end
    end
    reasons, factors = {}, {}
    local t = tier(c)
    local s = score(c)
    count = count + 1
    out[#out + 1] = c.id .. "," .. t .. "," .. string.format("%.14g", s)
    if #out == 1000 then io.write(table.concat(out, "\n"), "\n"); out = {} end
  end
end
if #out > 0 then io.write(table.concat(out, "\n"), "\n") end
io.stderr:write(count, " contracts\n")
