-- Standalone baseline for the benchmark: the same rule pack run by the plain lua5.4
-- interpreter over the same canonical CSV, with a minimal CSV parser in Lua. This is the
-- interpreter floor cmrg is compared against (bench/run).
--   lua5.4 bench/lua/driver.lua RULES_DIR PORTFOLIO.csv AS_OF(YYYY-MM-DD) > out.csv
local rules_dir, portfolio, as_of_text = arg[1], arg[2], arg[3]

-- ---- host functions, as cmrg provides them --------------------------------------------
local reasons, factors = {}, {}
function because(text) reasons[#reasons + 1] = text end
function factor(name, points, text) factors[#factors + 1] = name end

local function day_number(date)
  if date == nil then return nil end
  local y, m, d = string.match(date, "^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  y, m, d = math.tointeger(y), math.tointeger(m), math.tointeger(d)
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = (153 * mp + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end
local AS_OF_DAY = day_number(as_of_text)
function as_of() return as_of_text end
function days_until(date) local n = day_number(date) return n and n - AS_OF_DAY end
function months_until(date) local n = day_number(date) return n and (n - AS_OF_DAY) / 30.436875 end
function days_between(a, b) local x, y = day_number(a), day_number(b) return x and y and y - x end

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

local function split(line)
  -- RFC 4180 fields within one line (the generated data has no embedded newlines)
  local fields, i, n = {}, 1, #line
  while i <= n + 1 do
    if line:sub(i, i) == '"' then
      local buf, j = {}, i + 1
      while true do
        local q = line:find('"', j, true)
        buf[#buf + 1] = line:sub(j, q - 1)
        if line:sub(q + 1, q + 1) == '"' then buf[#buf + 1] = '"'; j = q + 2
        else i = q + 2; break end
      end
      fields[#fields + 1] = table.concat(buf)
    else
      local c = line:find(",", i, true) or n + 1
      fields[#fields + 1] = line:sub(i, c - 1)
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
  local f = split(line)
  local c = { extra = {} }
  for k = 1, #header do
    local name, v = header[k], f[k]
    if v ~= nil and v ~= "" then
      if numeric[name] then c[name] = tonumber(v)
      elseif integer[name] then c[name] = math.tointeger(tonumber(v))
      elseif k <= 16 then c[name] = v
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
if #out > 0 then io.write(table.concat(out, "\n"), "\n") end
io.stderr:write(count, " contracts\n")
