#pragma once

#include "ui/redis/FailoverPageBase.h"

class QComboBox;
class QLabel;
class QLineEdit;

namespace querydeck {

// Where the topology is: Sentinel (addresses + master name) or Cluster (a seed node).
class FailoverDiscoverPage : public FailoverPageBase
{
    Q_OBJECT

public:
    explicit FailoverDiscoverPage(FailoverWizard* wizard);
    void setDefaults(const QString& addresses, const QString& masterName, bool cluster);
    bool validatePage() override;
    int nextId() const override;

private:
    void updateMode();

    QComboBox* m_mode;
    QLineEdit* m_addresses;
    QLineEdit* m_masterName;
    QLabel* m_masterLabel;
    QLabel* m_error;
};

} // namespace querydeck
