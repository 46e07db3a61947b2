-- wrk script of benchmarks/answers.py. Each wrk thread sends, once each and in order, the
-- requests listed in its own file (<prefix><thread>.tsv: method, path, JSON body), tagged
-- with X-Bench-Id = line number. response() records which ids were acknowledged (200) and
-- which were refused; done() writes them to <prefix>acks.tsv and prints one JSON summary
-- line. When a thread runs out of requests it sends harmless GETs of /bench/trivial that are
-- not counted as answers (the run is reported as exhausted).

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  prefix = args[1]
  requests = {}
  for line in io.lines(prefix .. tid .. ".tsv") do
    local method, path, body = line:match("^(%u+)\t([^\t]*)\t(.*)$")
    requests[#requests + 1] = { method, path, body }
  end
  sent = 0
  acked = {}
  refused = {}
  exhausted = 0
end

function request()
  if sent >= #requests then
    exhausted = exhausted + 1
    return wrk.format("GET", "/bench/trivial")
  end
  sent = sent + 1
  local r = requests[sent]
  return wrk.format(r[1], r[2], { ["Content-Type"] = "application/json", ["X-Bench-Id"] = tostring(sent) }, r[3])
end

function response(status, headers, body)
  local id = headers["X-Bench-Id"]
  if id == nil then return end
  if status == 200 then
    acked[#acked + 1] = id
  else
    refused[#refused + 1] = id .. ":" .. status
  end
end

function done(summary, latency, requests)
  local out = io.open(threads[1]:get("prefix") .. "acks.tsv", "w")
  local total_sent, total_exhausted = 0, 0
  for _, thread in ipairs(threads) do
    local tid = thread:get("tid")
    for _, id in ipairs(thread:get("acked")) do out:write(tid, "\t", id, "\tack\n") end
    for _, id in ipairs(thread:get("refused")) do out:write(tid, "\t", id, "\trefused\n") end
    out:write(tid, "\t", thread:get("sent"), "\tsent\n")
    total_sent = total_sent + thread:get("sent")
    total_exhausted = total_exhausted + thread:get("exhausted")
  end
  out:close()
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "sent": %d, '
      .. '"exhausted": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    total_sent, total_exhausted, e.connect, e.read, e.write, e.status, e.timeout))
end
