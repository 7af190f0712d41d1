from pydantic import BaseModel, ConfigDict


class Payload(BaseModel):
    """A provider payload: tolerant of fields we do not use, immutable once parsed."""

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True)
