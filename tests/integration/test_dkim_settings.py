"""DKIM is all three settings or none: a half-set configuration is one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentormail.app.bootstrap import mailer_for
from mentormail.service.config import Config
from mentormail.service.exceptions import ConfigError
from mentormail.service.transports.dkim_signing import signer_from_settings
from mentormail.service.transports.maildir import MaildirMailer
from tests.dkim_keys import DOMAIN, SELECTOR, key_pair

pytestmark = pytest.mark.integration


def test_no_dkim_settings_means_no_signature() -> None:
    assert signer_from_settings("", "", "") is None


@pytest.mark.parametrize(
    "given", [(DOMAIN, "", ""), ("", SELECTOR, "k.pem"), (DOMAIN, SELECTOR, "")]
)
def test_a_half_set_dkim_configuration_names_all_three_settings(
    given: tuple[str, str, str],
) -> None:
    with pytest.raises(ConfigError, match="MENTORMAIL_DKIM_PRIVATE_KEY_FILE"):
        signer_from_settings(*given)


def test_an_unreadable_key_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        signer_from_settings(DOMAIN, SELECTOR, str(tmp_path / "missing.pem"))


def test_the_file_transport_signs_when_configured(tmp_path: Path) -> None:
    config = Config.from_env(
        {
            "MENTORMAIL_DATA_DIR": str(tmp_path / "var"),
            "MENTORMAIL_DKIM_DOMAIN": DOMAIN,
            "MENTORMAIL_DKIM_SELECTOR": SELECTOR,
            "MENTORMAIL_DKIM_PRIVATE_KEY_FILE": str(key_pair().write_private(tmp_path)),
        }
    )
    mailer = mailer_for(config)
    assert isinstance(mailer, MaildirMailer) and mailer.signer is not None
    assert mailer.signer.domain == DOMAIN and mailer.signer.selector == SELECTOR
