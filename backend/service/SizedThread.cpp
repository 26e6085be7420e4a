#include "backend/service/SizedThread.h"

#include <limits.h>

namespace querydeck {

SizedThread::SizedThread(std::size_t stackBytes, std::string name, std::function<void()> body)
    : m_body(std::move(body))
    , m_name(std::move(name))
{
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes,
                              stackBytes < PTHREAD_STACK_MIN ? PTHREAD_STACK_MIN : stackBytes);
    m_started = pthread_create(&m_thread, &attributes, &SizedThread::run, this) == 0;
    pthread_attr_destroy(&attributes);
}

SizedThread::~SizedThread()
{
    join();
}

void SizedThread::join()
{
    if (!m_started)
        return;
    pthread_join(m_thread, nullptr);
    m_started = false;
}

void* SizedThread::run(void* self)
{
    auto* thread = static_cast<SizedThread*>(self);
    // Linux limits thread names to 15 characters.
    pthread_setname_np(pthread_self(), thread->m_name.substr(0, 15).c_str());
    thread->m_body();
    return nullptr;
}

std::size_t SizedThread::currentStackBytes()
{
    pthread_attr_t attributes;
    if (pthread_getattr_np(pthread_self(), &attributes) != 0)
        return 0;
    std::size_t bytes = 0;
    pthread_attr_getstacksize(&attributes, &bytes);
    pthread_attr_destroy(&attributes);
    return bytes;
}

} // namespace querydeck
