/// Lua helpers every rule pack sees, defined before the pack's own files. Dates are
/// "YYYY-MM-DD" strings; the evaluation date is fixed per run (`--as-of`), never "now".
enum Prelude {
    static func source(asOf: String, asOfDay: Int) -> String {
        """
        local AS_OF, AS_OF_DAY = "\(asOf)", \(asOfDay)
        local match, tointeger = string.match, math.tointeger

        -- days since 1970-01-01 of a "YYYY-MM-DD" string (nil for nil)
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

        --- The evaluation date ("YYYY-MM-DD").
        function as_of() return AS_OF end

        --- Days from the evaluation date to `date` (negative when `date` is past; nil for nil).
        function days_until(date)
          local n = day_number(date)
          return n and n - AS_OF_DAY
        end

        --- Months (of 30.44 days) from the evaluation date to `date`; nil for nil.
        function months_until(date)
          local n = day_number(date)
          return n and (n - AS_OF_DAY) / 30.436875
        end

        --- Money as people read it: money(12500000) == "£12,500,000", money(nil) == "unknown".
        function money(v)
          if v == nil then return "unknown" end
          local whole = string.format("%.0f", math.abs(v))
          local grouped = whole:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
          return (v < 0 and "-£" or "£") .. grouped
        end

        local DAYS_IN = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

        --- `date` plus `n` whole months, the day kept or moved back to the month's last
        --- day: add_months("2026-01-31", 1) == "2026-02-28". nil for nil.
        function add_months(date, n)
          if date == nil then return nil end
          day_number(date, "add_months: date")
          local months = tointeger(n)
          if months == nil then error("add_months: the months must be a whole number, got " .. tostring(n), 2) end
          local y, m, d = match(date, "^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
          local total = tointeger(y) * 12 + tointeger(m) - 1 + months
          y, m, d = total // 12, total % 12 + 1, tointeger(d)
          if y < 1 or y > 9999 then error("add_months: " .. date .. " plus " .. months .. " months is outside the years 1 to 9999", 2) end
          local last = DAYS_IN[m]
          if m == 2 and y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0) then last = 29 end
          if d > last then d = last end
          return string.format("%04d-%02d-%02d", y, m, d)
        end

        --- Days from `a` to `b`; nil if either is nil.
        function days_between(a, b)
          local x, y = day_number(a), day_number(b)
          return x and y and y - x
        end
        """
    }
}
