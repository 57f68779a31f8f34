"""Tool definitions the engine tests share."""

from __future__ import annotations

from tongxue.engine.protocol import ToolDefinition

# A cabin light: one boolean and one enum, both required, nothing else allowed.
LIGHTS = ToolDefinition.model_validate(
    {
        "type": "function",
        "function": {
            "name": "set_light",
            "description": "Switch a cabin light on or off",
            "parameters": {
                "type": "object",
                "properties": {
                    "on": {"type": "boolean"},
                    "zone": {"type": "string", "enum": ["front", "rear"]},
                },
                "required": ["on", "zone"],
                "additionalProperties": False,
            },
        },
    }
)
