// Writes the seed corpus of source_decoder_fuzzer.cc into the directory
// given: ./bazelw run //fuzz:make_source_decoder_seeds -- $PWD/fuzz/corpus/source_decoders
#include <cstdio>

int splitcheck_make_source_decoder_seeds(const char* dir);

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_source_decoder_seeds DIR\n");
    return 2;
  }
  return splitcheck_make_source_decoder_seeds(argv[1]);
}
