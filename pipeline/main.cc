#include <cstdio>
int main() { std::puts("newsevents " NEWSEVENTS_VERSION); return 0; }
