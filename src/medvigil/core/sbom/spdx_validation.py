"""spdx-tools' validation of a whole SPDX 2 document, in linear time.

`validate_full_spdx_document` checks each relationship's two ends by
rebuilding the list of every element id of the document, so a document of
3,900 files with their CONTAINS relationships took minutes. Here the library
validates everything but those relationships, and each of them is checked
against one set of ids, with the library's own messages. The DESCRIBES
relationships of the document stay with the library, which requires one.
"""

from __future__ import annotations

import copy

from spdx_tools.spdx.document_utils import get_contained_spdx_element_ids
from spdx_tools.spdx.model.document import Document
from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
from spdx_tools.spdx.model.spdx_none import SpdxNone
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
from spdx_tools.spdx.validation.spdx_id_validators import validate_spdx_id

_DESCRIBING = frozenset({RelationshipType.DESCRIBES, RelationshipType.DESCRIBED_BY})
_NOT_IN_2_2 = frozenset(
    {RelationshipType.SPECIFICATION_FOR, RelationshipType.REQUIREMENT_DESCRIPTION_FOR}
)


def validation_messages(document: Document, spdx_version: str) -> list[str]:
    """The library's validation messages for `document`, in the library's words."""
    document_id = document.creation_info.spdx_id
    describing = [item for item in document.relationships if _describes(item, document_id)]
    others = [item for item in document.relationships if not _describes(item, document_id)]
    rest = copy.copy(document)
    rest.relationships = describing
    messages = [
        message.validation_message for message in validate_full_spdx_document(rest, spdx_version)
    ]
    known = {document_id, *get_contained_spdx_element_ids(document)}
    for relationship in others:
        messages.extend(_relationship_messages(relationship, spdx_version, document, known))
    return messages


def _describes(relationship: Relationship, document_id: str) -> bool:
    return relationship.relationship_type in _DESCRIBING and document_id in (
        relationship.spdx_element_id,
        relationship.related_spdx_element_id,
    )


def _relationship_messages(
    relationship: Relationship, spdx_version: str, document: Document, known: set[str]
) -> list[str]:
    """What `validate_relationship` says, with its id lookups made in `known`."""
    ends = [relationship.spdx_element_id]
    related = relationship.related_spdx_element_id
    if not isinstance(related, SpdxNone | SpdxNoAssertion):
        ends.append(related)
    messages: list[str] = []
    for end in ends:
        # Without check_document the library checks the form (and DocumentRef-… prefixes) only.
        messages.extend(validate_spdx_id(end, document))
        if ":" not in end and end not in known:
            messages.append(f'did not find the referenced spdx_id "{end}" in the SPDX document')
    if spdx_version == "SPDX-2.2" and relationship.relationship_type in _NOT_IN_2_2:
        messages.append(f"{relationship.relationship_type} is not supported in SPDX-2.2")
    return messages
