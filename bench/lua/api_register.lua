-- wrk: POST /api/v1/events/{id}/registrations, unique e-mail per request (thread + counter).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local path = os.getenv("BENCH_PATH")
local sent = 0
local headers = {["Content-Type"] = "application/json"}

function request()
  sent = sent + 1
  local body = string.format(
    '{"name": "Koormus %d %d", "email": "%s-%d-%d@example.ee", "consent_privacy": true}',
    tid, sent, run_id, tid, sent)
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  count(status)
  if status == 201 then
    -- "confirmed" / "waitlisted" / "pending", to check against the database afterwards
    local state = body:match('"status"%s*:%s*"(%a+)"')
    if state then count(state) end
  end
end
