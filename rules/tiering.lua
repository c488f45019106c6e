-- Tiering: Gold / Silver / Bronze from value, risk and complexity, in the spirit of the
-- Cabinet Office contract tiering tool. The thresholds live in settings.lua.
--
--   Gold   - high on at least two of value / risk / complexity, or very high value alone
--   Silver - high on one of them, or medium on at least two
--   Bronze - everything else

local function level(value, high, medium)
  if value >= high then return "high" elseif value >= medium then return "medium" end
  return "low"
end

function tier(c)
  local t = settings.tier
  local value = c.value_total or 0
  local risk = c.risk or t.missing_risk
  local complexity = c.complexity or t.missing_complexity
  if c.risk == nil then because("risk not assessed: treated as " .. t.missing_risk) end
  if c.complexity == nil then because("complexity not assessed: treated as " .. t.missing_complexity) end

  local levels = {
    value = level(value, t.gold_value, t.silver_value),
    risk = level(risk, t.high_risk, t.medium_risk),
    complexity = level(complexity, t.high_complexity, t.medium_complexity),
  }
  local high, medium = {}, {}
  for _, name in ipairs({ "value", "risk", "complexity" }) do
    if levels[name] == "high" then high[#high + 1] = name
    elseif levels[name] == "medium" then medium[#medium + 1] = name end
  end

  if value >= t.gold_value_alone then
    because("Gold: value " .. money(value) .. " is at least " .. money(t.gold_value_alone))
    return "Gold"
  end
  if #high >= t.gold_when_high_on then
    because("Gold: high " .. table.concat(high, " and "))
    return "Gold"
  end
  if #high == 1 then
    because("Silver: high " .. high[1])
    return "Silver"
  end
  if #medium >= 2 then
    because("Silver: medium " .. table.concat(medium, " and "))
    return "Silver"
  end
  because("Bronze: not high on value, risk or complexity")
  return "Bronze"
end
