-- wrk: the baseline's one-row insert, unique e-mail per request.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local sent = 0
local headers = {["Content-Type"] = "application/json"}

function request()
  sent = sent + 1
  local body = string.format('{"name": "Koormus %d %d", "email": "%s-%d-%d@example.ee"}',
                             tid, sent, run_id, tid, sent)
  return wrk.format("POST", "/insert", headers, body)
end

function response(status, headers, body)
  count(status)
end
