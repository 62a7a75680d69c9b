// The relugap process's memory on transparent huge pages (issue 20: readers at 100 MB/s).
//
// Reading a 15 MB DIMACS graph or a 27 MB LIBSVM file touches 135-150 MB of fresh memory:
// the text, the parsed arrays, the in-memory problem. With 4 KiB pages that is one page
// fault (and one zeroed page) per 4 KiB: 35 000 faults, two thirds of `relugap info`'s CPU
// time on the development VM (perf stat: 0.09 s of system time out of 0.13 s). This machine's
// kernel gives huge pages only to memory that asks for them (transparent_hugepage=madvise),
// so the `relugap` executable asks, as glibc's tunable `glibc.malloc.hugetlb=1` would:
//   - a block of at least kHugeFrom bytes from operator new: its 2 MiB-aligned interior;
//   - the heap (brk), each time malloc extends it: the new part, aligned to 2 MiB. The heap
//     grows in steps of at least kHeapStep (M_TOP_PAD), so that the new part is still
//     untouched when it is advised, and blocks below kHugeFrom come from the heap
//     (M_MMAP_THRESHOLD) instead of a fresh mapping of 4 KiB pages each.
// Nothing else changes: the allocation functions still call malloc and free, and a failed
// madvise (another kernel, THP disabled) is ignored. The replacement lives in the executable
// only (tests and libraries keep the standard operator new), and is left out of sanitizer
// builds, whose runtimes replace operator new themselves.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define RELUGAP_NO_HUGE_PAGES 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RELUGAP_NO_HUGE_PAGES 1
#endif

#ifndef RELUGAP_NO_HUGE_PAGES

namespace {

constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
constexpr std::size_t kHugeFrom = std::size_t{4} << 20;  // smaller blocks hold no aligned 2 MiB page worth asking for

/// Asks for huge pages on the 2 MiB pages lying wholly inside [begin, end).
void advise(std::uintptr_t begin, std::uintptr_t end) {
  begin = (begin + kHugePage - 1) & ~(kHugePage - 1);
  end &= ~(kHugePage - 1);
  if (end > begin) (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

constexpr std::size_t kHeapStep = std::size_t{16} << 20;

/// The end of the heap when it was last advised (0: never).
std::atomic<std::uintptr_t> advised_brk{0};

/// malloc's parameters, set before main (an allocation before this runs is served as usual).
[[maybe_unused]] const bool tuned = [] {
  (void)::mallopt(M_TOP_PAD, static_cast<int>(kHeapStep));
  (void)::mallopt(M_MMAP_THRESHOLD, static_cast<int>(kHugeFrom));
  return true;
}();

void* allocate(std::size_t n) {
  if (n == 0) n = 1;
  void* p = nullptr;
  while ((p = std::malloc(n)) == nullptr) {
    std::new_handler h = std::get_new_handler();
    if (h == nullptr) throw std::bad_alloc();
    h();
  }
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  if (n >= kHugeFrom) advise(at, at + n);
  // The heap grew since the last look (sbrk(0) reads glibc's cached break: no system call).
  const auto brk = reinterpret_cast<std::uintptr_t>(::sbrk(0));
  std::uintptr_t seen = advised_brk.load(std::memory_order_relaxed);
  if (brk != seen && advised_brk.compare_exchange_strong(seen, brk, std::memory_order_relaxed)) {
    // The first look advises nothing before the break (that memory is in use already);
    // after a trim (brk < seen) the next growth is advised from the lower break.
    if (seen != 0 && brk > seen) advise(seen, brk);
  }
  return p;
}

}  // namespace

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

#endif  // RELUGAP_NO_HUGE_PAGES
