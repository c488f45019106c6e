-- Checks that the standalone driver and cmrg decided the same: every contract has the same
-- tier, and the same score once rounded to one decimal as cmrg shows it.
--   lua5.4 bench/lua/agree.lua DRIVER_OUT.csv CMRG_EVALUATE.csv
local driver_out, cmrg_out = arg[1], arg[2]

local function split(line)
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

-- cmrg shows scores rounded half away from zero to one decimal, without a trailing ".0"
local function shown(score)
  local tenths = score * 10
  tenths = tenths >= 0 and math.floor(tenths + 0.5) or -math.floor(-tenths + 0.5)
  return tenths / 10
end

local expected, count = {}, 0
local lines = io.lines(driver_out)
lines() -- header
for line in lines do
  local f = split(line)
  expected[f[1]] = { tier = f[2], score = shown(tonumber(f[3])) }
  count = count + 1
end

local seen, problems = 0, 0
lines = io.lines(cmrg_out)
lines() -- header: rank,id,title,tier,score,top_factors
for line in lines do
  local f = split(line)
  local want = expected[f[2]]
  seen = seen + 1
  if not want or want.tier ~= f[4] or math.abs(want.score - tonumber(f[5])) > 1e-9 then
    problems = problems + 1
    if problems <= 5 then
      io.stderr:write(("differs: %s cmrg %s %s, driver %s %s\n"):format(
        f[2], f[4], f[5], want and want.tier or "-", want and want.score or "-"))
    end
  end
end
if problems > 0 or seen ~= count then
  io.stderr:write(("driver and cmrg disagree: %d of %d contracts (driver %d)\n"):format(problems, seen, count))
  os.exit(1)
end
print(("driver and cmrg agree on all %d contracts"):format(count))
