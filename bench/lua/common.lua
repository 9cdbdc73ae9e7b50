-- Shared by the wrk scripts: thread numbering, status counting and a JSON summary line.
-- BENCH_RUN makes e-mail addresses unique across runs; each thread numbers its own requests.

run_id = os.getenv("BENCH_RUN") or "run"
counts = {}        -- per thread: status code -> responses
threads = {}       -- main state only
tid = 0            -- set per thread by setup()

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function count(key)
  counts[key] = (counts[key] or 0) + 1
end

local function json_counts(all)
  local parts = {}
  for key, value in pairs(all) do
    table.insert(parts, string.format('"%s": %d', tostring(key), value))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local all = {}
  for _, thread in ipairs(threads) do
    local theirs = thread:get("counts") or {}
    for key, value in pairs(theirs) do
      all[tostring(key)] = (all[tostring(key)] or 0) + value
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f, "socket_errors": %d, "timeouts": %d, "counts": %s}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean,
    errors.connect + errors.read + errors.write, errors.timeout, json_counts(all)))
end
