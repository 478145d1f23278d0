-- wrk script of benchmarks/links.py: every request names the next link of the file in
-- LINKS_FILE (one path a line) and says, as a load balancer would, that it came from a client
-- address of its own (X-Forwarded-For), so the per-address rate limit never refuses the load.
local paths = {}
for line in io.lines(os.getenv("LINKS_FILE")) do
  paths[#paths + 1] = line
end

local threads = 0
function setup(thread)
  thread:set("first", threads * 1000003)
  threads = threads + 1
end

local n = 0
function request()
  n = n + 1
  local i = (first or 0) + n
  local address = string.format(
    "10.%d.%d.%d", math.floor(i / 65536) % 256, math.floor(i / 256) % 256, i % 256
  )
  return wrk.format("GET", paths[(i % #paths) + 1], { ["X-Forwarded-For"] = address })
end
