// The libraries kg.html inlines, exposed as window.kgVendor (built into ../vendor.js by build.mjs).
import Graph from "graphology";
import Sigma from "sigma";
import { EdgeArrowProgram, EdgeRectangleProgram, NodeProgram } from "sigma/rendering";
import { floatColor } from "sigma/utils";
import uFuzzy from "@leeoniya/ufuzzy";

window.kgVendor = { Graph, Sigma, NodeProgram, EdgeArrowProgram, EdgeRectangleProgram, floatColor, uFuzzy };
