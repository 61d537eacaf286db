"""Reports: plain-language feedback to the neighbourhood, with actions, on the web and on paper."""
