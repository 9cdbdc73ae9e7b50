-- wrk: GET BENCH_PATH with fixed headers from BENCH_HEADERS ("Name: value" lines), e.g. a
-- participant's cookie, or If-None-Match for the board's no-change poll. Counts statuses.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local path = os.getenv("BENCH_PATH")
local headers = {}
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end
local prepared = nil

function request()
  if prepared == nil then
    prepared = wrk.format("GET", path, headers)
  end
  return prepared
end

function response(status, headers, body)
  count(status)
end
