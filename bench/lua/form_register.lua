-- wrk: the HTML form as a browser uses it. A GET without cookies (a new visitor) gets the page,
-- a session cookie and a CSRF token; the next request of this thread POSTs the form with them.
-- wrk multiplexes connections in one Lua state per thread, so the POST may travel on another
-- connection than its GET: the server cannot tell, a session cookie is not tied to a connection.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local path = os.getenv("BENCH_PATH")
local cookie, token = nil, nil
local want_post = false
local sent = 0
local post_headers = {["Content-Type"] = "application/x-www-form-urlencoded"}

function request()
  if want_post and token then
    want_post = false
    sent = sent + 1
    post_headers["Cookie"] = cookie
    local body = string.format(
      "csrf_token=%s&name=Koormus+%d+%d&email=%s-%d-%d%%40example.ee&consent_privacy=y&language=et",
      token, tid, sent, run_id, tid, sent)
    count("post")
    return wrk.format("POST", path, post_headers, body)
  end
  want_post = true
  count("get")
  return wrk.format("GET", path)
end

function response(status, headers, body)
  count(status)
  -- The POST is answered 200 with the confirmation (not a redirect to the manage link).
  if status == 200 and body:find("data-receipt", 1, true) then
    count("registered")
  end
  if status == 200 then
    local found = body:match('name="csrf_token"[^>]-value="([^"]+)"')
    local set_cookie = headers["Set-Cookie"] or headers["set-cookie"]
    if found and set_cookie then
      token = found
      cookie = set_cookie:match("^([^;]+)")
    end
  end
end
