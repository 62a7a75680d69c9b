// SHA-256 through OpenSSL's EVP interface.
#include <openssl/evp.h>

#include <fstream>
#include <memory>

#include "instances/core/error.hpp"
#include "instances/io/io.hpp"

namespace relugap {

namespace {
struct Digest {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  Digest() {
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
      fail("io.hash", "sha256", 0, "OpenSSL digest init failed");
  }
  void update(const char* p, std::size_t n) {
    if (EVP_DigestUpdate(ctx.get(), p, n) != 1) fail("io.hash", "sha256", 0, "OpenSSL digest update failed");
  }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), md, &len) != 1) fail("io.hash", "sha256", 0, "OpenSSL digest final failed");
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
      out.push_back(kHex[md[i] >> 4]);
      out.push_back(kHex[md[i] & 15]);
    }
    return out;
  }
};
}  // namespace

std::string sha256_hex(const std::string& bytes) {
  Digest d;
  d.update(bytes.data(), bytes.size());
  return d.hex();
}

std::string sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("io.open", path, 0, "cannot open file");
  Digest d;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    d.update(buf, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) fail("io.read", path, 0, "read error");
  return d.hex();
}

}  // namespace relugap
