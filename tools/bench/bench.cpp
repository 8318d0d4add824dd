// lockstep-bench: runs scenario files through the same runner as `lockstep run` and reports
// simulated events per second (best of --repeat runs) and the process's peak memory.
// Benchmarks live here, never in unit tests.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tools/engine/runner.hpp"
#include "tools/results/report.hpp"

int main(int argc, char** argv) {
  using namespace lockstep;
  if (argc < 2) {
    std::fprintf(stderr, "usage: lockstep-bench SCENARIO.yaml [REPEAT]\n");
    return 2;
  }
  const std::string file = argv[1];
  const int repeat = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  const sim::Catalog catalog = tools::make_catalog();
  try {
    const sim::Scenario s = sim::load_scenario(file, catalog);
    double best = 1e300;
    tools::RunReport last;
    for (int i = 0; i < repeat; ++i) {
      last = tools::run_scenario(s, {});
      best = std::min(best, last.wall_seconds);
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double rate = static_cast<double>(last.events) / best;
    std::printf("%-36s %12llu events  %8.3f s  %10sevents/s  peak RSS %6.1f MiB  hash %s\n",
                s.name.c_str(), static_cast<unsigned long long>(last.events), best,
                tools::format_rate(rate).c_str(), static_cast<double>(usage.ru_maxrss) / 1024.0,
                sim::hash_hex(last.hash).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
