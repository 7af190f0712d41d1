"""Raw payloads as providers send them, one module per channel.

Email and SMS are not JSON: email is a raw RFC 5322 message (parsed with the standard library's
``email`` package), SMS a Twilio form-encoded webhook body (modelled in ``sms``).
Models accept unknown fields (providers add fields without notice) but are frozen.
"""
