from cryptography.fernet import Fernet

from core import encryption


def test_a_secret_round_trips_and_is_not_stored_in_the_clear():
    token = encryption.encrypt("hunter2")
    assert "hunter2" not in token
    assert encryption.decrypt(token) == "hunter2"


def test_a_new_key_in_front_still_reads_old_secrets_and_rotates_them(settings):
    old_token = encryption.encrypt("hunter2")
    new_key = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new_key, *settings.ENCRYPTION_KEYS]
    encryption._fernet.cache_clear()
    try:
        rotated = encryption.rotated(old_token)
        assert Fernet(new_key).decrypt(rotated.encode()) == b"hunter2"
        assert encryption.decrypt(old_token) == "hunter2"
    finally:
        encryption._fernet.cache_clear()
