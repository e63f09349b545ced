-- Shared helpers for the wrk scripts (loaded with dofile from the same directory).
local M = {}

function M.env_number(name, default)
  local v = tonumber(os.getenv(name) or "")
  if v == nil then return default end
  return v
end

-- Prints one machine-readable line after wrk's own summary; bench/lib.sh parses it.
-- Latencies from wrk are in microseconds.
function M.report(summary, latency)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end


return M
