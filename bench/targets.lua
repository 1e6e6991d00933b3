-- wrk script for bench/serve_bench.py: requests to many targets (path and query string),
-- read from a file, one a line; the headers come from wrk's -H options.
--
--   wrk -tT -cC -s bench/targets.lua URL -- FILE cycle T
--       every thread goes round all the targets, each from its own starting point, for the
--       whole run; wrk's own statistics are the result.
--   wrk -tC -cC -s bench/targets.lua URL -- FILE once C LOG
--       one connection per thread; thread k sends targets k+1, k+1+C, k+1+2C, ... once each,
--       then stops, and writes one line per request to LOG.k: start and end (seconds, from
--       gettimeofday) and status. wrk itself always runs for -d seconds and divides by that,
--       so the caller computes the rate and percentiles of exactly these requests from LOG.*.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_usec; } bench_timeval;
int gettimeofday(bench_timeval *tv, void *tz);
]]
local clock = ffi.new("bench_timeval")

local function now()
  ffi.C.gettimeofday(clock, nil)
  return tonumber(clock.tv_sec) + tonumber(clock.tv_usec) * 1e-6
end

local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  local file, mode, count = args[1], args[2], tonumber(args[3])
  local all = {}
  for line in io.lines(file) do
    if line ~= "" then all[#all + 1] = line end
  end

  if mode == "cycle" then
    local index = math.floor(id * #all / count) + 1
    function request()
      local target = all[index]
      index = index % #all + 1
      return wrk.format(nil, target)
    end
    return
  end

  local mine = {}
  for i = id + 1, #all, count do mine[#mine + 1] = all[i] end
  local log = io.open(args[4] .. "." .. id, "w")
  -- Counted by responses, not by calls: wrk calls request() once more on thread 0 to check it.
  local done, started = 0, 0
  function request()
    started = now()
    return wrk.format(nil, mine[done + 1])
  end
  function response(status, headers, body)
    log:write(string.format("%.6f %.6f %d\n", started, now(), status))
    log:flush()
    done = done + 1
    if done >= #mine then wrk.thread:stop() end
  end
end
