#include "Version.h"

#include <QCoreApplication>
#include <cstdio>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    std::printf("querydeck %s\n", querydeck::kVersion);
    return 0;
}
