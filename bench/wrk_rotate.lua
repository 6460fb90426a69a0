-- wrk script: each request takes the next path of a file (one URL path a line), round robin.
--   wrk -t 2 -c 8 -d 20s --latency -s bench/wrk_rotate.lua http://127.0.0.1:8766 -- paths.txt
-- Each thread starts at another place in the list, so threads do not ask in lockstep.
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

local paths = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  i = ((id or 0) * 7919) % #paths
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
